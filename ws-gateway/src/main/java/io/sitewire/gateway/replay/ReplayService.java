package io.sitewire.gateway.replay;

import io.sitewire.gateway.GatewayMetrics;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.fanout.Outbox;
import io.sitewire.gateway.fanout.RecordDecoder;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.routing.RoomRouting;
import io.sitewire.gateway.routing.Routed;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.schemas.json.AvroJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads history from Kafka for subscribes with {@code resume} or {@code from}, on a bounded pool: N
 * threads, each with its own consumer ({@code assign} + {@code seek}, no group). More requests wait
 * in the pool's queue.
 *
 * <h2>The catch-up join</h2>
 * <ol>
 *   <li>Resolve the start vector C (cursor; earliest; offsetsForTimes). A cursor position below the log
 *       start is past retention: a gap frame says how much, and the replay starts at the log start.</li>
 *   <li>Register the subscription with the hub in BUFFER mode. Under the hub lock this captures H, the
 *       live tailer's dispatch position: every record below H is history, every record from H on is live
 *       and is kept in the subscription's buffer meanwhile.</li>
 *   <li>Replay [C, H) of every partition, URGENT-lane topics first, queuing the frames of the
 *       subscription's rooms. Where C is already past H (a cursor from a faster instance) nothing is read
 *       and live frames below C are skipped later (the floor).</li>
 *   <li>Under the hub lock: queue {@code replayed}, move the buffer into the send queue, switch to live.</li>
 * </ol>
 * Each record below max(C, H) is delivered by replay only and each record from there on by live only:
 * no loss, no duplicate, and per-partition order holds because a partition's frames share a lane.
 */
public final class ReplayService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final PartitionSpace space;
    private final RecordDecoder decoder;
    private final Duration timeout;
    private final GatewayMetrics metrics;
    private final ExecutorService pool;
    private final ThreadLocal<Consumer<String, byte[]>> local = new ThreadLocal<>();
    private final List<Consumer<String, byte[]>> created = new ArrayList<>();
    private final AtomicInteger waiting = new AtomicInteger();

    public ReplayService(final Supplier<Consumer<String, byte[]>> consumers, final PartitionSpace space, final RecordDecoder decoder,
                         final int concurrency, final Duration timeout, final GatewayMetrics metrics) {
        this.consumers = consumers;
        this.space = space;
        this.decoder = decoder;
        this.timeout = timeout;
        this.metrics = metrics;
        final AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            final Thread t = new Thread(r, "sitewire-replay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        metrics.gauge("sitewire.gateway.replay.waiting", waiting::get);
    }

    /** Queues a replay; it runs when a replay slot is free. */
    public void submit(final ReplayRequest request, final ReplayTarget target) {
        waiting.incrementAndGet();
        pool.execute(() -> {
            waiting.decrementAndGet();
            final long started = System.nanoTime();
            try {
                run(request, target);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final RuntimeException e) {
                LOG.warn("replay for subscription {} failed", target.subscription().id(), e);
                target.fail(Frames.UNAVAILABLE, "history could not be read (" + e.getClass().getSimpleName()
                        + "); subscribe again with the same cursor");
            } finally {
                metrics.replayDuration().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        });
    }

    private Consumer<String, byte[]> consumer() {
        Consumer<String, byte[]> c = local.get();
        if (c == null) {
            c = consumers.get();
            local.set(c);
            synchronized (created) {
                created.add(c);
            }
        }
        return c;
    }

    private void run(final ReplayRequest request, final ReplayTarget target) throws InterruptedException {
        if (!target.active()) {
            return;
        }
        final Consumer<String, byte[]> consumer = consumer();
        final List<TopicPartition> all = space.all();
        final Instant deadline = Instant.now().plus(timeout);
        final Map<TopicPartition, Long> begin = consumer.beginningOffsets(all, Duration.ofSeconds(30));
        final long[] start = space.empty();
        final List<int[]> gaps = new ArrayList<>();
        final List<long[]> gapRanges = new ArrayList<>();
        if (request.cursor() != null) {
            for (int i = 0; i < start.length; i++) {
                final long logStart = begin.get(space.partition(i));
                final long c = request.cursor()[i];
                if (c < 0) {
                    start[i] = logStart; // a partition the cursor does not know (added since): from its beginning
                } else if (c < logStart) {
                    start[i] = logStart;
                    gaps.add(new int[] {i});
                    gapRanges.add(new long[] {c, logStart});
                } else {
                    start[i] = c;
                }
            }
        } else if (request.earliest()) {
            for (int i = 0; i < start.length; i++) {
                start[i] = begin.get(space.partition(i));
            }
        } else {
            final Map<TopicPartition, Long> times = new HashMap<>();
            all.forEach(tp -> times.put(tp, request.fromTime()));
            final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
            final Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
            for (int i = 0; i < start.length; i++) {
                final OffsetAndTimestamp at = found.get(space.partition(i));
                start[i] = at == null ? end.get(space.partition(i)) : at.offset();
            }
        }
        if (!target.active()) {
            return;
        }
        final long[] handover = target.register(start);
        for (int g = 0; g < gaps.size(); g++) {
            final int i = gaps.get(g)[0];
            for (final Room room : target.subscription().rooms()) {
                target.gap(room, space.partition(i).topic(), space.partition(i).partition(), gapRanges.get(g)[0], gapRanges.get(g)[1]);
                metrics.gap();
            }
        }
        long lag = 0;
        long[] floor = null;
        final long[] end = new long[start.length];
        for (int i = 0; i < start.length; i++) {
            end[i] = Math.max(start[i], handover[i]);
            if (start[i] > handover[i]) {
                if (floor == null) {
                    floor = space.empty();
                }
                floor[i] = start[i];
            } else {
                lag += handover[i] - start[i];
            }
        }
        if (floor != null) {
            for (int i = 0; i < floor.length; i++) {
                floor[i] = Math.max(floor[i], handover[i]);
            }
        }
        metrics.replayLag(lag);
        final Set<Room> rooms = new HashSet<>(target.subscription().rooms());
        long count = 0;
        for (final Lane lane : Lane.values()) {
            count += replayLane(consumer, lane, start, handover, rooms, target, deadline);
            if (count < 0) {
                return;
            }
        }
        metrics.replayed(count);
        if (target.active()) {
            target.finish(end, floor, count);
        }
    }

    /** Replays [start, handover) of the lane's partitions; returns the frames queued, or -1 if it stopped. */
    private long replayLane(final Consumer<String, byte[]> consumer, final Lane lane, final long[] start, final long[] handover,
                            final Set<Room> rooms, final ReplayTarget target, final Instant deadline) throws InterruptedException {
        final Map<TopicPartition, Integer> todo = new HashMap<>();
        for (int i = 0; i < start.length; i++) {
            if (space.laneOf(i) == lane && start[i] < handover[i]) {
                todo.put(space.partition(i), i);
            }
        }
        if (todo.isEmpty()) {
            return 0;
        }
        consumer.assign(todo.keySet());
        try {
            todo.forEach((tp, i) -> consumer.seek(tp, start[i]));
            return replayAssigned(consumer, todo, handover, rooms, target, deadline);
        } finally {
            // This thread's consumer serves the next replay too: a replay that stops early (its client left, the
            // deadline, a failure) must not leave partitions assigned, and paused ones would stay paused there (assign
            // keeps a kept partition's state), so that replay would wait for them until its own deadline.
            consumer.assign(List.of());
        }
    }

    private long replayAssigned(final Consumer<String, byte[]> consumer, final Map<TopicPartition, Integer> todo,
                                final long[] handover, final Set<Room> rooms, final ReplayTarget target,
                                final Instant deadline) throws InterruptedException {
        long count = 0;
        while (!todo.isEmpty()) {
            if (!target.active()) {
                return -1;
            }
            if (Instant.now().isAfter(deadline)) {
                target.fail(Frames.UNAVAILABLE, "history replay did not finish within " + timeout + "; subscribe again with the same cursor");
                return -1;
            }
            final ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            for (final TopicPartition tp : records.partitions()) {
                final Integer i = todo.get(tp);
                if (i == null) {
                    continue;
                }
                for (final ConsumerRecord<String, byte[]> record : records.records(tp)) {
                    if (record.offset() >= handover[i]) {
                        break;
                    }
                    final int queued = replayRecord(i, record, rooms, target, deadline);
                    if (queued < 0) {
                        return -1;
                    }
                    count += queued;
                }
            }
            final List<TopicPartition> done = new ArrayList<>();
            for (final Map.Entry<TopicPartition, Integer> e : todo.entrySet()) {
                if (consumer.position(e.getKey()) >= handover[e.getValue()]) {
                    done.add(e.getKey());
                }
            }
            if (!done.isEmpty()) {
                consumer.pause(done);
                done.forEach(todo::remove);
            }
        }
        return count;
    }

    private int replayRecord(final int i, final ConsumerRecord<String, byte[]> record, final Set<Room> rooms,
                             final ReplayTarget target, final Instant deadline) throws InterruptedException {
        if (record.value() == null) {
            return 0;
        }
        final SpecificRecord value;
        try {
            value = decoder.decode(record.topic(), record.value());
        } catch (final RuntimeException e) {
            metrics.decodeFailure();
            return 0;
        }
        final Routed routed = RoomRouting.route(space.topicOf(i), value).orElse(null);
        if (routed == null) {
            return 0;
        }
        String suffix = null;
        int queued = 0;
        for (final Room room : routed.rooms()) {
            if (!rooms.contains(room)) {
                continue;
            }
            if (suffix == null) {
                suffix = Frames.eventSuffix(AvroJson.toJson(value));
            }
            final String pos = Frames.pos(space.topicOf(i).index(), record.partition(), record.offset());
            final String prefix = Frames.eventPrefix(room.name(), routed.priority(), routed.type(), routed.eventTime(), pos);
            if (!target.replay(new Outbox.ReplayItem(target.subscription(), i, record.offset(), routed.priority(), prefix, suffix), deadline)) {
                return -1;
            }
            queued++;
        }
        return queued;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (created) {
            for (final Consumer<String, byte[]> c : created) {
                try {
                    c.close(Duration.ofSeconds(1));
                } catch (final RuntimeException e) {
                    // closing anyway
                }
            }
        }
    }
}
