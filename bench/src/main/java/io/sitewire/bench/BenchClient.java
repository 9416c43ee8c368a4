package io.sitewire.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket client of the fleet. It checks what it receives by the frames' {@code pos}
 * ({@code topicIndex-partition-offset}, docs/protocol.md): a position at or below the last one of its partition
 * is a duplicate when the alert's sequence number was seen before, otherwise out of order. Missed frames are
 * counted against the producer's acknowledged sequence numbers ({@link #missing}). Frames are read with plain
 * string searches, not a JSON parser, so that the clients cost the shared CPU as little as possible. Each connection
 * gets its own {@link Link} listener, so that a late close of a connection the bench already replaced (a cut whose
 * close handshake waited behind a backlog) is not taken for a close of the current one.
 */
final class BenchClient {

    private static final String EVENT = "{\"op\":\"event\"";
    private static final String SUBSCRIBED = "{\"op\":\"subscribed\"";
    private static final String ERROR = "{\"op\":\"error\"";

    final int index;
    private final String room;
    private final String fixedTag;
    private final Tally tally;
    private final Fleet fleet;

    private volatile Link current;
    private volatile boolean subscribed;
    private volatile String cursor;
    private volatile long subscribedNanos;
    private volatile long lastSubscribedNanos;
    private volatile long emergencyNanos;
    /** The producer's next sequence number when this client first became subscribed: everything from it on is due. */
    private volatile int firstDueSeq = -1;

    private final BitSet seen = new BitSet();
    private final Map<String, Long> lastOffset = new HashMap<>(8);
    private long duplicates;
    private long outOfOrder;
    private long events;

    BenchClient(final int index, final String room, final String fixedTag, final Tally tally, final Fleet fleet) {
        this.index = index;
        this.room = room;
        this.fixedTag = fixedTag;
        this.tally = tally;
        this.fleet = fleet;
    }

    String subscribeFrame() {
        final String resume = cursor == null ? "" : ",\"resume\":\"" + cursor + "\"";
        return "{\"op\":\"subscribe\",\"id\":\"b" + index + "\",\"rooms\":[\"" + room + "\"]" + resume + "}";
    }

    /** A listener for a new connection; it becomes the client's current one. */
    Link newLink() {
        final Link link = new Link(this);
        current = link;
        return link;
    }

    void onText(final String text) {
        if (text.startsWith(EVENT)) {
            onEvent(text);
        } else if (text.startsWith(SUBSCRIBED)) {
            if (cursor == null) {
                cursor = field(text, "\"cursor\":\"");
            }
            if (firstDueSeq < 0) {
                firstDueSeq = fleet.nextSeq();
            }
            lastSubscribedNanos = System.nanoTime();
            if (!subscribed) {
                subscribedNanos = System.nanoTime();
                subscribed = true;
                fleet.onSubscribed(this);
            }
        } else if (text.startsWith(ERROR)) {
            tally.error("client " + index + ": " + text);
        }
    }

    private void onEvent(final String text) {
        final long now = System.currentTimeMillis();
        final String pos = field(text, "\"pos\":\"");
        final String alertId = field(text, "\"alertId\":\"");
        final long sourceTime = number(text, "\"sourceTime\":");
        String tag = fixedTag;
        int seq = -1;
        if (alertId != null) {
            final int colon = alertId.indexOf(':');
            if (colon > 0 && fixedTag == null) {
                try {
                    seq = Integer.parseInt(alertId.substring(colon + 1));
                    tag = alertId.substring(0, colon);
                } catch (final NumberFormatException e) {
                    seq = -1; // an alert the bench did not produce (e.g. from the streams app): position checks only
                }
            }
        }
        synchronized (this) {
            events++;
            boolean duplicate = false;
            if (seq >= 0) {
                duplicate = seen.get(seq);
                seen.set(seq);
                if (duplicate) {
                    duplicates++;
                }
            }
            if (pos != null) {
                final int dash = pos.lastIndexOf('-');
                final String partition = pos.substring(0, dash);
                final long offset = Long.parseLong(pos.substring(dash + 1));
                if (seq >= 0) {
                    tally.position(seq, partition, offset);
                }
                final Long last = lastOffset.get(partition);
                if (last != null && offset <= last && !duplicate) {
                    outOfOrder++;
                }
                if (last == null || offset > last) {
                    lastOffset.put(partition, offset);
                }
            }
            cursor = field(text, "\"cursor\":\"");
        }
        if ("emergency".equals(tag)) {
            emergencyNanos = System.nanoTime();
        }
        if (tag != null && sourceTime > 0) {
            tally.delivered(tag, now - sourceTime);
        }
    }

    /** Closes the connection on purpose (the reconnect storm's cut); the cursor is kept for the resume. */
    void cut() {
        final Link link = current;
        if (link != null) {
            link.expectClose = true;
            final Session s = link.session;
            if (s != null) {
                s.close(1000, "bench cut", Callback.NOOP);
            }
        }
    }

    /** Drops the connection without a close handshake: for a close that did not complete within its wait. */
    void disconnectNow() {
        final Link link = current;
        final Session s = link == null ? null : link.session;
        if (s != null && s.isOpen()) {
            link.expectClose = true;
            s.disconnect();
        }
    }

    boolean connected() {
        final Link link = current;
        return link != null && link.session != null && link.session.isOpen();
    }

    boolean subscribed() {
        return subscribed;
    }

    long subscribedNanos() {
        return subscribedNanos;
    }

    /** When the latest {@code subscribed} acknowledgement arrived (a resume gets one too). */
    long lastSubscribedNanos() {
        return lastSubscribedNanos;
    }

    long emergencyNanos() {
        return emergencyNanos;
    }

    synchronized long events() {
        return events;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    /** Due sequence numbers (acknowledged, from this client's first subscribe on) that it has not received. */
    synchronized int missing(final Tally t) {
        if (firstDueSeq < 0) {
            return 0;
        }
        final BitSet due = t.producedFrom(firstDueSeq);
        due.andNot(seen);
        return due.cardinality();
    }

    /**
     * Due sequence numbers it has not received although a later frame of the same partition reached it: certainly
     * lost, since the gateway sends each partition in order (a late one would count as out of order). A due frame
     * not received and not behind a received one may still be queued at the gateway. The positions come from the
     * clients that did receive the frame ({@link Tally#position}).
     */
    synchronized int lostBehindLaterFrames(final Tally t) {
        if (firstDueSeq < 0) {
            return 0;
        }
        final BitSet due = t.producedFrom(firstDueSeq);
        due.andNot(seen);
        int lost = 0;
        for (int seq = due.nextSetBit(0); seq >= 0; seq = due.nextSetBit(seq + 1)) {
            final Tally.Position p = t.position(seq);
            final Long last = p == null ? null : lastOffset.get(p.partition());
            if (last != null && last > p.offset()) {
                lost++;
            }
        }
        return lost;
    }

    /**
     * Whether it has every sequence number of {@code due} from its first subscribe on; a client that never
     * subscribed has nothing due. {@code scratch} is the caller's reusable work set, so that checking thousands of
     * clients many times a second does not allocate a copy per client.
     */
    synchronized boolean hasAll(final BitSet due, final BitSet scratch) {
        if (firstDueSeq < 0) {
            return true;
        }
        scratch.clear();
        scratch.or(due);
        scratch.clear(0, firstDueSeq);
        scratch.andNot(seen);
        return scratch.isEmpty();
    }

    /** One connection of the client. Public because Jetty binds the listener methods through method handles. */
    public static final class Link implements Session.Listener.AutoDemanding {
        private final BenchClient owner;
        volatile Session session;
        volatile boolean expectClose;
        /** Text frames received on this connection and the count last acknowledged (Jetty calls one frame at a time). */
        private long received;
        private long acked;

        Link(final BenchClient owner) {
            this.owner = owner;
        }

        @Override
        public void onWebSocketOpen(final Session s) {
            session = s;
            if (owner.current != this) {
                expectClose = true;
                s.close(1000, "replaced", Callback.NOOP);
                return;
            }
            final int window = owner.fleet.flowWindow();
            if (window > 0) {
                s.sendText("{\"op\":\"flow\",\"window\":" + window + "}", Callback.NOOP);
            }
            s.sendText(owner.subscribeFrame(), Callback.NOOP);
        }

        @Override
        public void onWebSocketText(final String text) {
            // A client that closed (or replaced) a connection processes nothing more from it, as a browser drops
            // messages once close() was called; otherwise a frame that trails a cut would advance the cursor the
            // resume is about to send, and the replay would look like duplicates.
            if (owner.current == this && !expectClose) {
                owner.onText(text);
                // Acknowledge once half the window has been read, as the JS SDK does.
                received++;
                final int window = owner.fleet.flowWindow();
                if (window > 0 && received - acked >= window / 2) {
                    acked = received;
                    final Session s = session;
                    if (s != null) {
                        s.sendText("{\"op\":\"ack\",\"received\":" + received + "}", Callback.NOOP);
                    }
                }
            }
        }

        @Override
        public void onWebSocketClose(final int statusCode, final String reason, final Callback callback) {
            session = null;
            callback.succeed();
            if (!expectClose && owner.current == this) {
                owner.tally.unexpectedCloses.increment();
                owner.fleet.reconnectSoon(owner, statusCode, reason);
            }
        }

        @Override
        public void onWebSocketError(final Throwable cause) {
            if (!expectClose && owner.current == this) { // a close the bench asked for may race its own I/O
                owner.tally.error("client " + owner.index + ": " + cause);
            }
        }
    }

    static String field(final String text, final String key) {
        final int i = text.indexOf(key);
        if (i < 0) {
            return null;
        }
        final int start = i + key.length();
        final int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }

    static long number(final String text, final String key) {
        final int i = text.indexOf(key);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        for (int j = i + key.length(); j < text.length(); j++) {
            final char c = text.charAt(j);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
