package io.sitewire.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.gateway.GatewayMetrics;
import io.sitewire.gateway.cursor.CursorException;
import io.sitewire.gateway.fanout.LiveEvent;
import io.sitewire.gateway.fanout.Outbox;
import io.sitewire.gateway.fanout.Outlet;
import io.sitewire.gateway.fanout.Subscription;
import io.sitewire.gateway.replay.ReplayRequest;
import io.sitewire.gateway.replay.ReplayTarget;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.state.StateTable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: its endpoint (explicit demand: the next client frame is read only when the
 * previous one was handled), its bounded two-lane send queue and the send pump (a bounded number of frames
 * in flight, more as their callbacks complete; frames queued by the live tailer are written by a send
 * thread, never by the tailer), its subscriptions, rate limit, heartbeat and token expiry.
 */
public final class Connection implements Session.Listener, Outlet {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Close codes. */
    public static final int CLOSE_UNAUTHORIZED = 4001;
    public static final int CLOSE_FORBIDDEN = 4003;
    public static final int CLOSE_SLOW_CONSUMER = 4008;
    public static final int CLOSE_RATE_LIMITED = 4029;
    public static final String SLOW_CONSUMER_REASON = "slow consumer: resume from your cursor";

    private final StreamContext ctx;
    private final Identity identity;
    private final AccessDenied denied;
    private final PresenceClient presence;
    private final Outbox outbox;
    private final Object lock = new Object();
    private final Map<Room, Subscription> rooms = new LinkedHashMap<>();
    private final RateLimiter limiter;
    private final Callback sendCallback = Callback.from(this::sent, this::sendFailed);
    private final org.eclipse.jetty.util.Callback frameCallback = org.eclipse.jetty.util.Callback.from(this::sent, this::sendFailed);

    private volatile Session session;
    private volatile boolean closing;
    private volatile long lastHeard = System.nanoTime();
    /** Frames handed to Jetty whose send has not completed; at most {@link #MAX_IN_FLIGHT}. */
    private int inFlight;
    /** True while one thread runs the pump loop: frames must reach Jetty in the order they leave the outbox. */
    private boolean pumping;
    /** Frames taken by the running pump round, per priority (control frames last); counted into the metrics once. */
    private final int[] sentThisRound = new int[GatewayMetrics.SENT_SLOTS];
    /** True while a pump of this connection waits for a send thread (see {@link #wanted}). */
    private boolean scheduled;
    /** True while this connection counts as congested (live frames queued past the high-water mark). */
    private boolean congested;
    private final int congestionHigh;
    private final int congestionLow;
    private long lastRateError;
    private ScheduledFuture<?> expiry;
    /**
     * The client's flow-control window (0: none asked for): at most this many frames sent and not acknowledged,
     * urgent events excepted. Under the lock, with {@link #sentFrames} (text frames handed to Jetty since the
     * connection opened) and {@link #acked} (the client's last ack).
     */
    private int window;
    private long sentFrames;
    private long acked;

    public Connection(final StreamContext ctx, final Identity identity, final AccessDenied denied) {
        this.ctx = ctx;
        this.identity = identity;
        this.denied = denied;
        this.presence = new PresenceClient(UUID.randomUUID().toString(), identity == null ? "" : identity.subject(),
                identity == null ? "" : identity.role());
        this.outbox = new Outbox(ctx.space(), ctx.config().sendQueueFrames());
        this.limiter = new RateLimiter(ctx.config().rateLimitPerSecond(), ctx.config().rateLimitBurst(), System.nanoTime());
        // A quarter of the queue bound: far enough below it that the tailer's brake acts before anyone is closed.
        this.congestionHigh = Math.max(2, ctx.config().sendQueueFrames() / 4);
        this.congestionLow = congestionHigh / 2;
    }

    // ---------------------------------------------------------------- WebSocket events

    @Override
    public void onWebSocketOpen(final Session s) {
        this.session = s;
        if (denied != null) {
            final int code = Frames.FORBIDDEN.equals(denied.code()) ? CLOSE_FORBIDDEN : CLOSE_UNAUTHORIZED;
            // The error frame tells the client why; the close code tells the SDK not to reconnect.
            s.sendText(Frames.error(null, denied.code(), denied.getMessage()),
                    Callback.from(() -> s.close(code, denied.code() + ": " + denied.getMessage(), Callback.NOOP),
                            t -> s.close(code, denied.code(), Callback.NOOP)));
            return;
        }
        ctx.connections().add(this);
        ctx.hub().congestion().opened();
        ctx.metrics().connectionOpened();
        final Duration untilExpiry = Duration.between(Instant.now(), identity.expiresAt());
        expiry = ctx.scheduler().schedule(() -> close(CLOSE_UNAUTHORIZED, "token expired"),
                Math.max(0, untilExpiry.toMillis()), TimeUnit.MILLISECONDS);
        s.demand();
    }

    @Override
    public void onWebSocketText(final String text) {
        lastHeard = System.nanoTime();
        try {
            handle(text);
        } catch (final RuntimeException e) {
            LOG.warn("unexpected failure handling a client frame", e);
            reply(Frames.error(null, Frames.BAD_REQUEST, "the frame could not be handled"));
        }
        if (!closing) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketBinary(final ByteBuffer payload, final Callback callback) {
        lastHeard = System.nanoTime();
        callback.succeed();
        ctx.metrics().badFrame();
        reply(Frames.error(null, Frames.BAD_REQUEST, "binary frames are not part of the protocol: send JSON text frames"));
        if (!closing) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketPing(final ByteBuffer payload) {
        lastHeard = System.nanoTime();
        final Session s = session;
        s.sendPong(payload, Callback.NOOP);
        if (!closing) {
            s.demand();
        }
    }

    @Override
    public void onWebSocketPong(final ByteBuffer payload) {
        lastHeard = System.nanoTime();
        if (!closing) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketError(final Throwable cause) {
        LOG.debug("connection {} error: {}", presence.clientId(), cause.toString());
        cleanUp();
    }

    @Override
    public void onWebSocketClose(final int statusCode, final String reason) {
        cleanUp();
    }

    // ---------------------------------------------------------------- client frames

    private void handle(final String text) {
        if (text.length() > ctx.config().maxFrameBytes()) {
            ctx.metrics().badFrame();
            reply(Frames.error(null, Frames.TOO_LARGE, "frame of " + text.length() + " characters exceeds the limit of "
                    + ctx.config().maxFrameBytes() + " bytes"));
            return;
        }
        JsonNode frame;
        boolean json = true;
        try {
            frame = JSON.readTree(text);
        } catch (final Exception e) {
            frame = null;
            json = false;
        }
        // An ack that acknowledges new frames is exempt from the rate limit: a client can send at most one per frame
        // it received, and a window of N frames needs one every N/2 frames, far more than the limit that guards the
        // expensive requests (subscribe) allows. Acks that acknowledge nothing new count like any frame.
        if (frame != null && advancingAck(frame)) {
            return;
        }
        switch (limiter.onFrame(System.nanoTime())) {
            case ACCEPT -> {
            }
            case REJECT -> {
                ctx.metrics().rateLimited();
                final long now = System.nanoTime();
                if (now - lastRateError > 1_000_000_000L) {
                    lastRateError = now;
                    reply(Frames.error(null, Frames.RATE_LIMITED, "more than " + ctx.config().rateLimitPerSecond()
                            + " frames per second: slow down (sustained flooding closes the connection with 4029)"));
                }
                return;
            }
            case REJECT_AND_CLOSE -> {
                ctx.metrics().rateLimited();
                close(CLOSE_RATE_LIMITED, "rate limited");
                return;
            }
        }
        if (!json) {
            bad(null, "not JSON: every frame is one JSON object");
            return;
        }
        if (frame == null || !frame.isObject()) {
            bad(null, "a frame must be a JSON object");
            return;
        }
        final JsonNode idNode = frame.get("id");
        final String id;
        if (idNode == null || idNode.isNull()) {
            id = null;
        } else if (!idNode.isTextual() || idNode.asText().length() > 64) {
            bad(null, "id must be a string of at most 64 characters");
            return;
        } else {
            id = idNode.asText();
        }
        final JsonNode op = frame.get("op");
        if (op == null || !op.isTextual()) {
            bad(id, "missing op (one of " + OPS + ")");
            return;
        }
        switch (op.asText()) {
            case "subscribe" -> subscribe(id, frame);
            case "unsubscribe" -> unsubscribe(id, frame);
            case "ping" -> reply(Frames.pong(id, System.currentTimeMillis()));
            case "flow" -> flow(id, frame);
            case "ack" -> ackRefused(id, frame);
            default -> bad(id, "unknown op '" + abbreviate(op.asText()) + "' (one of " + OPS + ")");
        }
    }

    private static final String OPS = String.join(", ", Frames.CLIENT_OPS);
    /** Bounds of a client's flow-control window, in frames. */
    public static final int MIN_WINDOW = 8;
    public static final int MAX_WINDOW = 4096;

    /** flow: from now on at most {@code window} frames unacknowledged (urgent events excepted). */
    private void flow(final String id, final JsonNode frame) {
        final JsonNode w = frame.get("window");
        if (w == null || !w.canConvertToInt() || !w.isIntegralNumber() || w.asInt() < MIN_WINDOW || w.asInt() > MAX_WINDOW) {
            bad(id, "window must be an integer from " + MIN_WINDOW + " to " + MAX_WINDOW + " (frames)");
            return;
        }
        synchronized (lock) {
            window = w.asInt();
        }
        reply(Frames.flow(id, w.asInt()));
    }

    /** Applies an ack that acknowledges frames not acknowledged before; false for any other frame. */
    private boolean advancingAck(final JsonNode frame) {
        final JsonNode op = frame.get("op");
        final JsonNode received = frame.get("received");
        final JsonNode id = frame.get("id");
        if (op == null || !op.isTextual() || !"ack".equals(op.asText()) || received == null || !received.isIntegralNumber()
                || !received.canConvertToLong() || id != null && !id.isNull() && (!id.isTextual() || id.asText().length() > 64)) {
            return false;
        }
        final long count = received.asLong();
        synchronized (lock) {
            if (count <= acked || count > sentFrames) {
                return false;
            }
            acked = count;
        }
        pump(); // the window may have room again
        return true;
    }

    /** An ack that did not advance: the same count again is harmless, anything else is a client bug. */
    private void ackRefused(final String id, final JsonNode frame) {
        final JsonNode received = frame.get("received");
        if (received == null || !received.isIntegralNumber() || !received.canConvertToLong() || received.asLong() < 0) {
            bad(id, "received must be the number of frames received on this connection (a non-negative integer)");
            return;
        }
        final long before;
        final long sent;
        synchronized (lock) {
            before = acked;
            sent = sentFrames;
        }
        if (received.asLong() < before) {
            bad(id, "received " + received.asLong() + " is below the previous ack of " + before + ": it never decreases");
        } else if (received.asLong() > sent) {
            bad(id, "received " + received.asLong() + " acknowledges more frames than the " + sent + " sent");
        }
    }

    /** Whether the client's window is full (call under the lock): only urgent events may go out. */
    private boolean windowFull() {
        return window > 0 && sentFrames - acked >= window;
    }

    private List<Room> parseRooms(final String id, final JsonNode frame) {
        final JsonNode list = frame.get("rooms");
        if (list == null || !list.isArray() || list.isEmpty()) {
            bad(id, "rooms must be a non-empty array of room names");
            return null;
        }
        if (list.size() > 100) {
            bad(id, "at most 100 rooms per frame");
            return null;
        }
        final Set<Room> result = new LinkedHashSet<>();
        for (final JsonNode n : list) {
            final Optional<Room> room = n.isTextual() ? Room.parse(n.asText()) : Optional.empty();
            if (room.isEmpty()) {
                ctx.metrics().badFrame();
                reply(Frames.error(id, Frames.UNKNOWN_ROOM, "not a room name: " + abbreviate(n.toString())
                        + " (project:{p}, management:project:{p}, trade|equipment|safety-zone|worker:{id}:project:{p})"));
                return null;
            }
            result.add(room.get());
        }
        return new ArrayList<>(result);
    }

    private void subscribe(final String id, final JsonNode frame) {
        final List<Room> wanted = parseRooms(id, frame);
        if (wanted == null) {
            return;
        }
        for (final Room room : wanted) {
            final Optional<String> why = ctx.access().whyNot(identity, room);
            if (why.isPresent()) {
                reply(Frames.error(id, Frames.FORBIDDEN, room.name() + ": " + why.get()));
                return;
            }
        }
        final JsonNode resume = frame.get("resume");
        final JsonNode from = frame.get("from");
        if (resume != null && !resume.isNull() && from != null && !from.isNull()) {
            bad(id, "give either resume or from, not both");
            return;
        }
        ReplayRequest request = null;
        if (resume != null && !resume.isNull()) {
            if (!resume.isTextual()) {
                bad(id, "resume must be a cursor string");
                return;
            }
            try {
                request = ReplayRequest.resume(ctx.space().decode(resume.asText()));
            } catch (final CursorException e) {
                bad(id, "bad cursor: " + e.getMessage());
                return;
            }
        } else if (from != null && !from.isNull()) {
            if (from.isTextual() && from.asText().equals("earliest")) {
                request = ReplayRequest.fromEarliest();
            } else if (from.isIntegralNumber() && from.asLong() >= 0) {
                request = ReplayRequest.fromTime(from.asLong());
            } else if (!(from.isTextual() && from.asText().equals("latest"))) {
                bad(id, "from must be \"latest\", \"earliest\" or an epoch-millisecond number");
                return;
            }
        }
        final Subscription s;
        synchronized (lock) {
            for (final Room room : wanted) {
                if (rooms.containsKey(room)) {
                    bad(id, "already subscribed to " + room.name() + ": unsubscribe first");
                    return;
                }
            }
            s = new Subscription(this, id, wanted);
            wanted.forEach(r -> rooms.put(r, s));
        }
        if (request == null) {
            ctx.hub().register(s, true, position -> queueWelcome(s, false));
            pump();
        } else {
            ctx.replay().submit(request, new Target(s));
        }
    }

    /** subscribed, then presence snapshots and state snapshots; called under the hub lock at registration. */
    private void queueWelcome(final Subscription s, final boolean history) {
        final List<String> extra = new ArrayList<>();
        for (final Room room : s.rooms()) {
            extra.add(ctx.hub().presenceSnapshot(room));
            if (StateTable.hasSnapshot(room)) {
                extra.add(ctx.table().snapshotFrame(room, System.currentTimeMillis()));
            }
        }
        synchronized (lock) {
            outbox.offerControl(new Outbox.ControlItem(null, cursor -> Frames.subscribed(s.id(), s.rooms(), cursor)));
            for (final String text : extra) {
                outbox.offerControl(Outbox.ControlItem.of(text));
            }
        }
    }

    private void unsubscribe(final String id, final JsonNode frame) {
        final List<Room> gone = parseRooms(id, frame);
        if (gone == null) {
            return;
        }
        final List<Subscription> ended = new ArrayList<>();
        synchronized (lock) {
            for (final Room room : gone) {
                if (!rooms.containsKey(room)) {
                    bad(id, "not subscribed to " + room.name());
                    return;
                }
            }
            // A subscription ends when its last room goes; removing one room of several re-registers nothing:
            // the remaining rooms keep their subscription, the gone ones are simply not delivered any more.
            for (final Room room : gone) {
                final Subscription s = rooms.get(room);
                if (!ended.contains(s) && allGone(s, gone)) {
                    ended.add(s);
                }
            }
        }
        ended.forEach(Subscription::cancel);
        // The hub first: once it has let go of the rooms no live frame of theirs is queued here, so offerLive need not
        // look each room up (a map lookup per frame per connection in a wide fan-out), and every frame queued before
        // precedes the unsubscribed reply.
        ctx.hub().removeRooms(this, gone);
        synchronized (lock) {
            gone.forEach(rooms::remove);
            ended.forEach(outbox::dropReplay);
        }
        reply(Frames.unsubscribed(id, gone));
    }

    /** Whether every room this connection still has on {@code s} is among {@code gone} (call under the lock). */
    private boolean allGone(final Subscription s, final List<Room> gone) {
        for (final Room r : s.rooms()) {
            if (rooms.get(r) == s && !gone.contains(r)) {
                return false;
            }
        }
        return true;
    }

    private void bad(final String id, final String message) {
        ctx.metrics().badFrame();
        reply(Frames.error(id, Frames.BAD_REQUEST, message));
    }

    private static String abbreviate(final String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    // ---------------------------------------------------------------- Outlet (called by the hub, hub lock held)

    @Override
    public int offerLive(final LiveEvent event, final Room room, final Subscription flushedFor) {
        if (closing) {
            return QUEUED;
        }
        final boolean ok;
        final boolean wake;
        synchronized (lock) {
            ok = outbox.offer(new Outbox.LiveItem(event, room, flushedFor));
            if (ok) {
                updateCongestion();
            }
            // No send thread for a frame the window holds back anyway: the client's next ack pumps.
            wake = ok && (event.lane() == Lane.URGENT || !windowFull()) && wanted();
        }
        return !ok ? FULL : wake ? QUEUED_WAKE : QUEUED;
    }

    @Override
    public void pumpNow() {
        scheduledPump();
    }

    @Override
    public boolean offerControl(final String text) {
        final boolean ok;
        final boolean wake;
        synchronized (lock) {
            ok = outbox.offerControl(Outbox.ControlItem.of(text));
            wake = ok && !windowFull() && wanted();
        }
        if (wake) {
            ctx.sendExecutor().execute(this::scheduledPump);
        }
        return ok;
    }

    @Override
    public void slowConsumer() {
        if (!closing) {
            ctx.metrics().slowConsumer();
            close(CLOSE_SLOW_CONSUMER, SLOW_CONSUMER_REASON);
        }
    }

    @Override
    public void initLiveClaim(final long[] positions, final long seq) {
        synchronized (lock) {
            outbox.initLiveClaim(positions, seq);
        }
    }

    @Override
    public PresenceClient presence() {
        return presence;
    }

    // ---------------------------------------------------------------- sending

    private void reply(final String text) {
        synchronized (lock) {
            if (!outbox.offerControl(Outbox.ControlItem.of(text))) {
                return;
            }
        }
        pump();
    }

    /**
     * Frames handed to Jetty and not yet completed. A stalled client holds at most this many frames outside its bounded
     * outbox, and an urgent frame waits behind at most this many.
     */
    static final int MAX_IN_FLIGHT = 32;

    /**
     * Whether a pump must be started for frames just queued (call under the lock). The hub's callers (the live tailer,
     * a subscribing thread holding the hub lock) never write to sockets themselves: a send thread does, so one wide
     * fan-out costs the tailer a queue insert per connection, and the frames that pile up meanwhile leave in one write.
     */
    private boolean wanted() {
        if (pumping || scheduled || closing || session == null) {
            return false;
        }
        scheduled = true;
        return true;
    }

    private void scheduledPump() {
        synchronized (lock) {
            scheduled = false;
        }
        pump();
    }

    /** Counts this connection in or out of the hub's congestion (call under the lock after the outbox changed). */
    private void updateCongestion() {
        final int live = outbox.liveQueued();
        if (!congested && live >= congestionHigh && !closing) {
            congested = true;
            ctx.hub().congestion().enter();
        } else if (congested && live < congestionLow) {
            congested = false;
            ctx.hub().congestion().leave();
        }
    }

    /**
     * Moves queued frames to Jetty, up to {@link #MAX_IN_FLIGHT} not yet completed. One thread at a time runs the
     * loop (a caller that finds it running leaves: the running loop re-reads the outbox and the in-flight count under
     * the lock before it stops, so nothing offered or completed meanwhile is left behind).
     */
    private void pump() {
        final Session s = session;
        if (s == null) {
            return;
        }
        synchronized (lock) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        boolean lastBatched = false;
        while (true) {
            final Outbox.Next next;
            final boolean more;
            synchronized (lock) {
                if (closing || inFlight >= MAX_IN_FLIGHT || (next = outbox.poll(!windowFull())) == null) {
                    ctx.metrics().sent(sentThisRound); // once per round, not once per frame
                    Arrays.fill(sentThisRound, 0);
                    pumping = false;
                    break;
                }
                inFlight++;
                sentFrames++;
                sentThisRound[next.priority() == null ? sentThisRound.length - 1 : next.priority().ordinal()]++;
                updateCongestion();
                more = inFlight < MAX_IN_FLIGHT && outbox.size() > 0;
            }
            lastBatched = send(s, next, more);
        }
        if (lastBatched && s instanceof WebSocketSession ws) {
            ws.getCoreSession().flush(org.eclipse.jetty.util.Callback.NOOP); // a close or a race ended the round early
        }
    }

    /**
     * Hands one frame to Jetty. While more frames follow in this round they are batched: Jetty copies them into one
     * buffer and writes it with the last frame of the round (one system call for many frames instead of one each,
     * the main cost of a wide fan-out). Returns whether the frame was left batched (not yet flushed).
     */
    private boolean send(final Session s, final Outbox.Next next, final boolean more) {
        if (s instanceof WebSocketSession ws) {
            final Frame frame = new Frame(OpCode.TEXT);
            if (next.utf8() != null) {
                frame.setPayload(ByteBuffer.wrap(next.utf8())); // encoded once for every connection
            } else {
                frame.setPayload(next.text());
            }
            ws.getCoreSession().sendFrame(frame, frameCallback, more);
            return more;
        }
        s.sendText(next.text(), sendCallback);
        return false;
    }

    private void sent() {
        synchronized (lock) {
            inFlight--;
        }
        pump();
    }

    private void sendFailed(final Throwable cause) {
        synchronized (lock) {
            inFlight--;
        }
        LOG.debug("send to {} failed: {}", presence.clientId(), cause.toString());
        cleanUp();
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes with a code; the socket is dropped if the close handshake does not finish promptly. */
    public void close(final int code, final String reason) {
        final Session s = session;
        if (closing || s == null) {
            return;
        }
        closing = true;
        s.close(code, reason, Callback.NOOP);
        ctx.scheduler().schedule(() -> {
            if (s.isOpen()) {
                s.disconnect();
            }
        }, 5, TimeUnit.SECONDS);
        cleanUp();
    }

    /** Heartbeat: ping, or drop a connection from which nothing arrived for the idle timeout. */
    public void heartbeat() {
        final Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        if (System.nanoTime() - lastHeard > ctx.config().idleTimeout().toNanos()) {
            LOG.debug("connection {} silent for {}: dropping it", presence.clientId(), ctx.config().idleTimeout());
            closing = true;
            s.disconnect();
            cleanUp();
            return;
        }
        s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }

    private boolean cleaned;

    private void cleanUp() {
        final List<Subscription> subs;
        final boolean wasCongested;
        synchronized (lock) {
            closing = true;
            if (cleaned) {
                return;
            }
            cleaned = true;
            subs = new ArrayList<>(new LinkedHashSet<>(rooms.values()));
            rooms.clear();
            wasCongested = congested;
            congested = false;
        }
        subs.forEach(Subscription::cancel);
        ctx.hub().remove(subs);
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (ctx.connections().remove(this)) {
            ctx.hub().congestion().closed(wasCongested);
            ctx.metrics().connectionClosed();
        } else if (wasCongested) {
            ctx.hub().congestion().leave();
        }
    }

    public int queued() {
        synchronized (lock) {
            return outbox.size();
        }
    }

    // ---------------------------------------------------------------- replay target

    /** The connection side of one subscription's replay. */
    private final class Target implements ReplayTarget {
        private final Subscription s;

        Target(final Subscription s) {
            this.s = s;
        }

        @Override
        public Subscription subscription() {
            return s;
        }

        @Override
        public boolean active() {
            return !closing && !s.cancelled();
        }

        @Override
        public long[] register(final long[] start) {
            final long[] at = ctx.hub().register(s, false, position -> {
                synchronized (lock) {
                    outbox.startReplay(s, start);
                }
                queueWelcome(s, true);
            });
            pump();
            return at;
        }

        @Override
        public void gap(final Room room, final String topic, final int partition, final long fromOffset, final long toOffset) {
            reply(Frames.gap(s.id(), room, topic, partition, fromOffset, toOffset));
        }

        @Override
        public boolean replay(final Outbox.ReplayItem item, final Instant deadline) throws InterruptedException {
            // Replay is flow-controlled: it waits for the client to drain rather than overflow the queue.
            while (active()) {
                synchronized (lock) {
                    if (outbox.size() < ctx.config().sendQueueFrames() / 2 && outbox.offer(item)) {
                        break;
                    }
                }
                pump();
                if (Instant.now().isAfter(deadline)) {
                    slowConsumer();
                    return false;
                }
                Thread.sleep(2);
            }
            pump();
            return active();
        }

        @Override
        public void finish(final long[] handover, final long[] floor, final long count) {
            ctx.hub().handover(s, floor, () -> {
                synchronized (lock) {
                    outbox.offerControl(new Outbox.ControlItem(() -> outbox.replayDone(s, handover),
                            cursor -> Frames.replayed(s.id(), s.rooms(), cursor, count)));
                }
            });
            pump();
        }

        @Override
        public void fail(final String code, final String message) {
            reply(Frames.error(s.id(), code, message));
            final List<Room> mine = new ArrayList<>();
            synchronized (lock) {
                for (final Room room : s.rooms()) {
                    if (rooms.get(room) == s) {
                        rooms.remove(room);
                        mine.add(room);
                    }
                }
                outbox.dropReplay(s);
            }
            s.cancel();
            ctx.hub().remove(List.of(s));
        }
    }
}
