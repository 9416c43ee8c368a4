package io.sitewire.gateway.fanout;

import io.sitewire.events.Priority;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.Lane;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The bounded send queue of one connection, with two lanes, and the cursor bookkeeping of what was sent.
 * Not thread-safe: the connection calls it under its own lock.
 *
 * <h2>Lanes</h2>
 * EMERGENCY and URGENT frames go to the URGENT lane, everything else to the NORMAL lane; the URGENT lane
 * is always drained first, so an emergency never waits behind queued bulk frames. Each lane is FIFO, and
 * all frames of one Kafka partition share a lane, so per-partition order is kept.
 *
 * <h2>Cursors</h2>
 * A frame's cursor must claim exactly what the client has received when it gets that frame. The tailer
 * stamps each live event with its own dispatch position; that is right for a connection as long as (a)
 * no live frame dispatched earlier is still queued in either lane, (b) nothing dispatched later was
 * already sent (an urgent frame that overtook this one), and (c) no history replay of the connection is
 * unfinished. That is the steady state, and then the shared text is sent untouched. Otherwise the
 * outbox keeps its own position vector ({@code claim}): a lane's positions advance to an event's
 * dispatch position only when no older live frame is queued, a partition's own position always advances
 * past the frame sent, and while a replay is unfinished the cursor is the element-wise minimum of the
 * live claim and the replay's progress. A cursor therefore never claims a frame not yet sent (no loss);
 * it can lag (a resume then repeats frames, which carry the same {@code pos}).
 */
public final class Outbox {

    /** Something queued. */
    public sealed interface Item permits LiveItem, ReplayItem, ControlItem {
        Lane lane();
    }

    /** A live event for one room; {@code flushedFor} is set when it was buffered during that subscription's replay. */
    public record LiveItem(LiveEvent event, Room room, Subscription flushedFor) implements Item {
        @Override
        public Lane lane() {
            return event.lane();
        }
    }

    /** A replayed record of a subscription: its frame text is prefix + cursor + suffix. */
    public record ReplayItem(Subscription subscription, int partitionIndex, long offset, Priority priority,
                             String prefix, String suffix) implements Item {
        @Override
        public Lane lane() {
            return Lane.of(priority);
        }
    }

    /**
     * A control frame. {@code onDequeue} runs when it is taken from the queue (before its text is made);
     * {@code text} gets the cursor at that point.
     */
    public record ControlItem(Runnable onDequeue, Function<String, String> text) implements Item {
        @Override
        public Lane lane() {
            return Lane.NORMAL;
        }

        public static ControlItem of(final String text) {
            return new ControlItem(null, c -> text);
        }
    }

    /**
     * What to send next: the text and the priority it counts under (null for control frames); {@code utf8} is the
     * text's UTF-8 form shared by every connection that sends the event unchanged ({@code shared}), else null.
     */
    public record Next(String text, Priority priority, boolean shared, byte[] utf8) {
        Next(final String text, final Priority priority) {
            this(text, priority, false, null);
        }
    }

    private final PartitionSpace space;
    private final int bound;
    private final ArrayDeque<Item> urgent = new ArrayDeque<>();
    private final ArrayDeque<Item> normal = new ArrayDeque<>();
    /** Seqs of queued live frames per lane, in queue order; sorted unless a flush appended older ones. */
    private final PendingSeqs[] pending = {new PendingSeqs(), new PendingSeqs()};
    private final List<Subscription> replaying = new ArrayList<>(2);

    private LiveEvent claimRef;
    private long[] claim;
    private long claimBound = -1;

    public Outbox(final PartitionSpace space, final int bound) {
        this.space = space;
        this.bound = bound;
    }

    public int size() {
        return urgent.size() + normal.size();
    }

    /** Live frames queued (both lanes), the measure of how far behind the tailer this connection is. */
    public int liveQueued() {
        return pending[0].size() + pending[1].size();
    }

    public int size(final Lane lane) {
        return lane == Lane.URGENT ? urgent.size() : normal.size();
    }

    /** Queues an item; false if the queue is at its bound (the item is not queued). */
    public boolean offer(final Item item) {
        if (size() >= bound) {
            return false;
        }
        add(item);
        return true;
    }

    /** Queues a control item even past the bound by a small margin (replies to the client's own requests). */
    public boolean offerControl(final ControlItem item) {
        if (size() >= bound + 64) {
            return false;
        }
        add(item);
        return true;
    }

    private void add(final Item item) {
        final Lane lane = item.lane();
        (lane == Lane.URGENT ? urgent : normal).addLast(item);
        if (item instanceof LiveItem live) {
            pending[lane.ordinal()].add(live.event().seq());
            if (live.flushedFor() != null) {
                live.flushedFor().pendingFlushed++;
            }
        }
    }

    /** The first live claim of the connection (its first subscription registered at this dispatch position). */
    public void initLiveClaim(final long[] positions, final long seq) {
        if (claim == null && claimRef == null) {
            claim = positions.clone();
            claimBound = seq;
        }
    }

    /** A subscription with history: the cursor includes its progress until its replay and flushed frames are sent. */
    public void startReplay(final Subscription s, final long[] start) {
        s.replayClaim = start.clone();
        replaying.add(s);
    }

    /** Removes a subscription's replay bookkeeping (unsubscribed or failed). */
    public void dropReplay(final Subscription s) {
        replaying.remove(s);
    }

    /** Takes the next frame to send (URGENT lane first), or null when empty. */
    public Next poll() {
        return poll(true);
    }

    /**
     * Takes the next frame to send: from the URGENT lane first, from the NORMAL lane only when {@code normalToo}
     * (false while the client's flow-control window is full); null when there is none.
     */
    public Next poll(final boolean normalToo) {
        Item item = urgent.pollFirst();
        if (item == null && normalToo) {
            item = normal.pollFirst();
        }
        if (item == null) {
            return null;
        }
        if (item instanceof LiveItem live) {
            return sendLive(live);
        } else if (item instanceof ReplayItem replay) {
            final Subscription s = replay.subscription();
            if (s.replayClaim != null && s.replayClaim[replay.partitionIndex()] < replay.offset() + 1) {
                s.replayClaim[replay.partitionIndex()] = replay.offset() + 1;
            }
            return new Next(replay.prefix() + cursor() + replay.suffix(), replay.priority());
        } else {
            final ControlItem control = (ControlItem) item;
            if (control.onDequeue() != null) {
                control.onDequeue().run();
            }
            return new Next(control.text().apply(cursor()), null);
        }
    }

    /** Marks a subscription's history as delivered up to {@code handover} (run when its replayed frame is dequeued). */
    public void replayDone(final Subscription s, final long[] handover) {
        s.replayDone = true;
        if (s.replayClaim != null) {
            for (int i = 0; i < handover.length; i++) {
                s.replayClaim[i] = Math.max(s.replayClaim[i], handover[i]);
            }
        }
        if (s.pendingFlushed == 0) {
            replaying.remove(s);
        }
    }

    private Next sendLive(final LiveItem item) {
        final LiveEvent event = item.event();
        final Lane lane = event.lane();
        pending[lane.ordinal()].removeFirst();
        final Subscription flushed = item.flushedFor();
        if (flushed != null) {
            flushed.pendingFlushed--;
            if (flushed.replayDone && flushed.pendingFlushed == 0) {
                replaying.remove(flushed);
            }
        }
        final long seq = event.seq();
        final boolean laneClear = pending[lane.ordinal()].min() > seq;
        final boolean otherClear = pending[lane.other().ordinal()].min() > seq;
        if (replaying.isEmpty() && laneClear && otherClear && claimBound <= seq) {
            // Steady state: everything dispatched before this event was sent, nothing after it was.
            claimRef = event;
            claim = null;
            claimBound = seq;
            return new Next(event.text(item.room()), event.priority(), true, event.utf8(item.room()));
        }
        final long[] c = claimArray();
        if (c != null) {
            if (laneClear || otherClear) {
                final long[] t = event.positions();
                for (int i = 0; i < c.length; i++) {
                    final boolean sameLane = space.laneOf(i) == lane;
                    if ((sameLane && laneClear) || (!sameLane && otherClear)) {
                        c[i] = Math.max(c[i], t[i]);
                    }
                }
                claimBound = Math.max(claimBound, seq);
            }
            final int pi = event.partitionIndex();
            c[pi] = Math.max(c[pi], event.offset() + 1);
        }
        return new Next(event.text(item.room(), cursor()), event.priority());
    }

    private long[] claimArray() {
        if (claim == null && claimRef != null) {
            claim = claimRef.positions().clone();
            claimRef = null;
        }
        return claim;
    }

    /** The cursor right now: the live claim, lowered to the progress of unfinished replays. */
    public String cursor() {
        if (replaying.isEmpty()) {
            if (claimRef != null) {
                return claimRef.cursor();
            }
            return space.encode(claim == null ? space.empty() : claim);
        }
        final long[] min = claimArray() == null ? null : claim.clone();
        long[] result = min;
        for (final Subscription s : replaying) {
            if (result == null) {
                result = s.replayClaim.clone();
                continue;
            }
            for (int i = 0; i < result.length; i++) {
                result[i] = Math.min(result[i], s.replayClaim[i]);
            }
        }
        return space.encode(result);
    }

    /**
     * Queued live seqs of a lane in queue order, with a fast minimum while they are in order. A ring of primitive longs:
     * every live frame of a wide fan-out passes through one of these per connection, and boxed seqs in a deque cost
     * an allocation and a pointer chase each (they showed in the fan-out profile).
     */
    private static final class PendingSeqs {
        private long[] ring = new long[8];
        private int head;
        private int size;
        private boolean sorted = true;

        void add(final long seq) {
            if (size > 0 && ring[(head + size - 1) & (ring.length - 1)] > seq) {
                sorted = false;
            }
            if (size == ring.length) {
                final long[] bigger = new long[ring.length * 2];
                for (int k = 0; k < size; k++) {
                    bigger[k] = ring[(head + k) & (ring.length - 1)];
                }
                ring = bigger;
                head = 0;
            }
            ring[(head + size) & (ring.length - 1)] = seq;
            size++;
        }

        void removeFirst() {
            if (size == 0) {
                return;
            }
            head = (head + 1) & (ring.length - 1);
            size--;
            if (size == 0) {
                sorted = true;
                head = 0;
            }
        }

        int size() {
            return size;
        }

        long min() {
            if (size == 0) {
                return Long.MAX_VALUE;
            }
            if (sorted) {
                return ring[head];
            }
            long min = Long.MAX_VALUE;
            for (int k = 0; k < size; k++) {
                min = Math.min(min, ring[(head + k) & (ring.length - 1)]);
            }
            return min;
        }
    }
}
