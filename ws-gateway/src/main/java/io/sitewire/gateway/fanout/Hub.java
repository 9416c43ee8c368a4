package io.sitewire.gateway.fanout;

import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.routing.Routed;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.gateway.ws.PresenceClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Who is in which room, and the live dispatch. The live tailer dispatches under {@link #lock}; a
 * subscription registers under the same lock, so "the tailer's position when I registered" is exact:
 * every record dispatched before it went to history (replay), every record after it to the subscription.
 *
 * <p>Lock order: hub lock, then a connection's lock; never the reverse.
 */
public final class Hub {

    private final PartitionSpace space;
    private final java.util.concurrent.Executor senders;
    /** Outlets to wake after the record being dispatched (hub lock held while it fills). */
    private final List<Outlet> wakes = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Room, Set<Subscription>> members = new HashMap<>();
    /** Each room's members as an array, made on first dispatch after a change: a dispatch does not copy the set. */
    private final Map<Room, Subscription[]> snapshots = new HashMap<>();
    private final Congestion congestion = new Congestion();
    /** Each room's presence-snapshot client list as JSON, kept while its first PRESENCE_LIMIT members stay the same. */
    private final Map<Room, String> snapshotClients = new HashMap<>();
    private final long[] dispatched;
    private long seq;
    /** Whether {@link #dispatchBatch} is running (hub lock held): NORMAL wakes wait for its end. */
    private boolean inBatch;
    private volatile boolean started;

    /** A hub whose outlets are pumped on the calling thread (tests, benchmarks). */
    public Hub(final PartitionSpace space) {
        this(space, Runnable::run);
    }

    /** A hub that hands outlets with frames to send to {@code senders}. */
    public Hub(final PartitionSpace space, final java.util.concurrent.Executor senders) {
        this.space = space;
        this.senders = senders;
        this.dispatched = space.empty();
    }

    /** Outlets woken per send task: enough to make the hand-over cheap, few enough that the last waits little. */
    static final int WAKE_BATCH = 64;

    /** Hands the gathered outlets to the send threads, {@link #WAKE_BATCH} per task. */
    private void flushWakes() {
        for (int from = 0; from < wakes.size(); from += WAKE_BATCH) {
            final Outlet[] batch = wakes.subList(from, Math.min(wakes.size(), from + WAKE_BATCH)).toArray(new Outlet[0]);
            senders.execute(() -> {
                for (final Outlet o : batch) {
                    o.pumpNow();
                }
            });
        }
        wakes.clear();
    }

    public PartitionSpace space() {
        return space;
    }

    /** How many connections are behind: the tailer's brake (see {@link Congestion}). */
    public Congestion congestion() {
        return congestion;
    }

    /** Sets where the tailer starts (the end of every streamed partition at start). */
    public void start(final long[] startPositions) {
        lock.lock();
        try {
            System.arraycopy(startPositions, 0, dispatched, 0, dispatched.length);
            started = true;
        } finally {
            lock.unlock();
        }
    }

    public boolean started() {
        return started;
    }

    /**
     * Runs a batch of dispatches under the lock (the tailer calls this once per poll). The outlets a NORMAL record
     * woke reach the send threads at the end of the batch (bounded by the tailer's dispatch budget), not after each
     * record: a send round then finds a connection's frames of the whole batch, instead of a round starting per
     * record while the tailer still dispatches the rest. An URGENT record's wakes go out at once.
     */
    public void dispatchBatch(final Consumer<Dispatcher> batch) {
        lock.lock();
        try {
            inBatch = true;
            batch.accept(this::dispatch);
        } finally {
            inBatch = false;
            try {
                flushWakes(); // a woken outlet is marked scheduled: it must reach a send thread whatever happened
            } finally {
                lock.unlock();
            }
        }
    }

    /** Dispatches one record inside {@link #dispatchBatch}. */
    @FunctionalInterface
    public interface Dispatcher {
        /**
         * @param partitionIndex where the record is
         * @param routed         its rooms etc., or null if it goes nowhere (the position still advances)
         * @param dataJson       supplies the record's JSON form; called only if some room has members
         * @return the event if it was handed to at least one subscription
         */
        LiveEvent dispatch(int partitionIndex, long offset, Routed routed, java.util.function.Supplier<String> dataJson);
    }

    private LiveEvent dispatch(final int pi, final long offset, final Routed routed, final java.util.function.Supplier<String> dataJson) {
        if (offset < dispatched[pi]) {
            return null; // already dispatched (a re-poll after a seek): never twice
        }
        dispatched[pi] = offset + 1;
        seq++;
        if (routed == null) {
            return null;
        }
        List<Room> withMembers = null;
        for (final Room room : routed.rooms()) {
            final Set<Subscription> subs = members.get(room);
            if (subs != null && !subs.isEmpty()) {
                if (withMembers == null) {
                    withMembers = new ArrayList<>(routed.rooms().size());
                }
                withMembers.add(room);
            }
        }
        if (withMembers == null) {
            return null;
        }
        final LiveEvent event = new LiveEvent(seq, pi, offset, routed.priority(), routed.type(), routed.eventTime(),
                space.encode(dispatched), dataJson.get(), space);
        for (final Room room : withMembers) {
            event.prepare(room);
        }
        try {
            for (final Room room : withMembers) {
                // A snapshot: a slow consumer closed from inside offer() leaves the room while we iterate.
                for (final Subscription s : snapshot(room)) {
                    deliver(s, event, room);
                }
            }
        } finally {
            if (!inBatch || event.lane() == Lane.URGENT) {
                flushWakes(); // a woken outlet is marked scheduled: it must reach a send thread whatever happened
            }
        }
        return event;
    }

    private Subscription[] snapshot(final Room room) {
        Subscription[] snap = snapshots.get(room);
        if (snap == null) {
            snap = members.get(room).toArray(new Subscription[0]);
            snapshots.put(room, snap);
        }
        return snap;
    }

    private void deliver(final Subscription s, final LiveEvent event, final Room room) {
        if (s.floor != null && event.offset() < s.floor[event.partitionIndex()]) {
            return; // the client's cursor is past this record: it was delivered by replay
        }
        switch (s.mode) {
            case LIVE -> {
                final int queued = s.outlet().offerLive(event, room, null);
                if (queued == Outlet.QUEUED_WAKE) {
                    wakes.add(s.outlet());
                } else if (queued == Outlet.FULL) {
                    s.outlet().slowConsumer();
                }
            }
            case BUFFER -> {
                if (s.buffer.size() >= MAX_BUFFER) {
                    s.outlet().slowConsumer();
                } else {
                    s.buffer.add(new Outbox.LiveItem(event, room, s));
                }
            }
            default -> {
                // closed: ignore
            }
        }
    }

    /**
     * Rooms with this many connections on an instance stop announcing every join and leave to everyone
     * (that would be n-squared frames); new members still get a snapshot of the first PRESENCE_LIMIT clients
     * and the total count.
     */
    public static final int PRESENCE_LIMIT = 100;

    /** Largest number of live frames held for one subscription while its history replays. */
    static final int MAX_BUFFER = 100_000;

    /**
     * Registers a subscription at the tailer's current position and returns that position. With
     * {@code live} it receives live frames at once; otherwise they are buffered until {@link #handover}.
     * {@code whileLocked} runs under the lock after registration (snapshot, presence, subscribed frame),
     * so nothing dispatched after the registration can be queued before them.
     */
    public long[] register(final Subscription s, final boolean live, final Consumer<long[]> whileLocked) {
        lock.lock();
        try {
            s.mode = live ? Subscription.Mode.LIVE : Subscription.Mode.BUFFER;
            final long[] position = dispatched.clone();
            s.outlet().initLiveClaim(position, seq);
            final PresenceClient me = s.outlet().presence();
            for (final Room room : s.rooms()) {
                final Set<Subscription> subs = members.computeIfAbsent(room, r -> new LinkedHashSet<>());
                if (subs.size() < PRESENCE_LIMIT) {
                    final String join = Frames.presence(room, "join", List.of(me));
                    for (final Subscription other : List.copyOf(subs)) {
                        if (other.outlet() != s.outlet()) {
                            other.outlet().offerControl(join);
                        }
                    }
                }
                if (subs.size() < PRESENCE_LIMIT) {
                    snapshotClients.remove(room); // the newcomer is among the first PRESENCE_LIMIT
                }
                subs.add(s);
                snapshots.remove(room);
            }
            whileLocked.accept(position);
            return position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A room's presence snapshot: its connection count and its first PRESENCE_LIMIT clients; call under {@link #register}.
     * In a full room every newcomer gets the same list, so its JSON is made once, not once per join (a shift start of
     * thousands of dashboards into one room would otherwise build a 100-client list thousands of times under the lock).
     */
    public String presenceSnapshot(final Room room) {
        final Set<Subscription> subs = members.get(room);
        final int count = subs == null ? 0 : subs.size();
        final String clients = snapshotClients.computeIfAbsent(room, r -> Frames.presenceClients(clientsIn(r)));
        return Frames.presence(room, "snapshot", clients, count);
    }

    /** The first PRESENCE_LIMIT clients of a room, for a presence snapshot; call under {@link #register}. */
    List<PresenceClient> clientsIn(final Room room) {
        final Set<Subscription> subs = members.get(room);
        if (subs == null) {
            return List.of();
        }
        final Map<Outlet, PresenceClient> seen = new java.util.LinkedHashMap<>();
        for (final Subscription s : subs) {
            if (seen.size() >= PRESENCE_LIMIT) {
                break;
            }
            seen.putIfAbsent(s.outlet(), s.outlet().presence());
        }
        return List.copyOf(seen.values());
    }

    /**
     * Ends a subscription's replay: runs {@code enqueueReplayed} (the replayed frame), then queues the live
     * frames buffered meanwhile and switches it to live, all under the lock so no live frame slips between.
     * {@code floor} is the first offset live may deliver per partition (the replay end where the client's
     * cursor was ahead of this tailer).
     */
    public void handover(final Subscription s, final long[] floor, final Runnable enqueueReplayed) {
        lock.lock();
        try {
            if (s.mode != Subscription.Mode.BUFFER) {
                return;
            }
            enqueueReplayed.run();
            for (final Outbox.LiveItem item : s.buffer) {
                if (floor != null && item.event().offset() < floor[item.event().partitionIndex()]) {
                    continue;
                }
                final int queued = s.outlet().offerLive(item.event(), item.room(), s);
                if (queued == Outlet.QUEUED_WAKE) {
                    wakes.add(s.outlet());
                } else if (queued == Outlet.FULL) {
                    s.outlet().slowConsumer();
                    return;
                }
            }
            s.buffer.clear();
            s.floor = floor;
            s.mode = Subscription.Mode.LIVE;
        } finally {
            flushWakes();
            lock.unlock();
        }
    }

    /** Removes subscriptions from their rooms and tells the rooms' other members. */
    public void remove(final Collection<Subscription> subs) {
        lock.lock();
        try {
            for (final Subscription s : subs) {
                s.mode = Subscription.Mode.CLOSED;
                s.buffer.clear();
                final PresenceClient me = s.outlet().presence();
                for (final Room room : s.rooms()) {
                    final Set<Subscription> set = members.get(room);
                    if (set == null) {
                        continue;
                    }
                    set.remove(s);
                    snapshots.remove(room);
                    snapshotClients.remove(room);
                    if (set.isEmpty()) {
                        members.remove(room);
                        continue;
                    }
                    if (set.size() >= PRESENCE_LIMIT) {
                        continue;
                    }
                    final String leave = Frames.presence(room, "leave", List.of(me));
                    for (final Subscription other : List.copyOf(set)) {
                        if (other.outlet() != s.outlet()) {
                            other.outlet().offerControl(leave);
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes one connection from some rooms (a partial unsubscribe) and tells the rooms' other members. */
    public void removeRooms(final Outlet outlet, final Collection<Room> rooms) {
        lock.lock();
        try {
            final PresenceClient me = outlet.presence();
            for (final Room room : rooms) {
                final Set<Subscription> set = members.get(room);
                if (set == null) {
                    continue;
                }
                set.removeIf(s -> {
                    if (s.outlet() == outlet) {
                        s.buffer.removeIf(item -> item.room().equals(room));
                        return true;
                    }
                    return false;
                });
                snapshots.remove(room);
                snapshotClients.remove(room);
                if (set.isEmpty()) {
                    members.remove(room);
                    continue;
                }
                if (set.size() >= PRESENCE_LIMIT) {
                    continue;
                }
                final String leave = Frames.presence(room, "leave", List.of(me));
                for (final Subscription other : List.copyOf(set)) {
                    other.outlet().offerControl(leave);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The tailer's dispatch position now (a copy). */
    public long[] position() {
        lock.lock();
        try {
            return dispatched.clone();
        } finally {
            lock.unlock();
        }
    }

    /** Rooms with at least one member (for metrics). */
    public int roomCount() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }
}
