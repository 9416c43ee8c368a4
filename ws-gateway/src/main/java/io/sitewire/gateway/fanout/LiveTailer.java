package io.sitewire.gateway.fanout;

import io.sitewire.gateway.GatewayMetrics;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.routing.RoomRouting;
import io.sitewire.gateway.routing.Routed;
import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.state.StateTable;
import io.sitewire.schemas.json.AvroJson;
import io.sitewire.schemas.registry.AvroSerdeException;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONE live Kafka consumer of a gateway instance, on its own thread, shared by all connections.
 *
 * <p>It {@code assign}s every streamed partition (no consumer group: every instance reads everything),
 * starting at the log end; the compacted state topics are read from the beginning into the
 * {@link StateTable} (records before the start position are not sent to anyone). Each record is
 * decoded once, routed once, its JSON made once, and handed to the {@link Hub}.
 *
 * <p>Priority: within each poll, partitions of the URGENT lane (EMERGENCY, URGENT) are dispatched first;
 * and while any URGENT partition has lag, every NORMAL-lane partition is paused, so a burst of LOW
 * records cannot delay the fetch of an emergency.
 */
public final class LiveTailer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTailer.class);

    private final Consumer<String, byte[]> consumer;
    private final PartitionSpace space;
    private final List<TopicSpec<?>> tableOnly;
    private final RecordDecoder decoder;
    private final Hub hub;
    private final StateTable table;
    private final GatewayMetrics metrics;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final List<TopicPartition> urgent = new ArrayList<>();
    private final List<TopicPartition> normal = new ArrayList<>();
    private final Map<TopicPartition, Class<?>> tabledTypes = new HashMap<>();
    private final Map<TopicPartition, Long> tableTargets = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean tableLoaded;
    private volatile Throwable failure;
    private boolean normalPaused;
    /** Partitions held at a record whose schema the registry could not serve, with when to try again (nanoTime). */
    private final Map<TopicPartition, Long> stalled = new HashMap<>();

    public LiveTailer(final Consumer<String, byte[]> consumer, final PartitionSpace space, final List<TopicSpec<?>> tableOnly,
                      final RecordDecoder decoder, final Hub hub, final StateTable table, final GatewayMetrics metrics) {
        this.consumer = consumer;
        this.space = space;
        this.tableOnly = tableOnly;
        this.decoder = decoder;
        this.hub = hub;
        this.table = table;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "sitewire-live-tailer");
        this.thread.setDaemon(true);
    }

    /** Starts the thread and waits until partitions are assigned and the start position is known. */
    public void start(final Duration timeout) throws InterruptedException {
        thread.start();
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the live tailer did not start within " + timeout
                    + (failure == null ? "" : ": " + failure));
        }
        if (failure != null) {
            throw new IllegalStateException("the live tailer failed to start: " + failure, failure);
        }
    }

    /** Assigned, positioned and the state table loaded up to the start position. */
    public boolean ready() {
        return hub.started() && tableLoaded && running && thread.isAlive();
    }

    private void run() {
        try {
            setUp();
        } catch (final RuntimeException e) {
            failure = e;
            LOG.error("live tailer failed to start", e);
            assigned.countDown();
            return;
        }
        assigned.countDown();
        while (running) {
            try {
                // While the NORMAL lane is held for congestion, poll briefly: urgent records still end the poll at once,
                // and the congestion is looked at again soon.
                final ConsumerRecords<String, byte[]> records = consumer.poll(normalPaused ? HELD_POLL : IDLE_POLL);
                if (!records.isEmpty()) {
                    final Map<TopicPartition, Long> deferred = new HashMap<>();
                    hub.dispatchBatch(d -> {
                        for (final TopicPartition tp : urgent) {
                            handle(d, records.records(tp));
                        }
                        // A wide fan-out of a long NORMAL batch would keep an urgent record that arrives meanwhile
                        // waiting for the whole batch: past a time budget, the rest is handed back to Kafka (seek) and
                        // the next poll, urgent partitions first, takes it up again.
                        final long budgetEnd = System.nanoTime() + NORMAL_BATCH_BUDGET.toNanos();
                        for (final TopicPartition tp : normal) {
                            final List<ConsumerRecord<String, byte[]>> tpRecords = records.records(tp);
                            if (tpRecords.isEmpty()) {
                                continue;
                            }
                            if (System.nanoTime() - budgetEnd > 0 || hub.congestion().saturated()) {
                                deferred.put(tp, tpRecords.get(0).offset());
                                continue;
                            }
                            final long next = handleWithin(d, tpRecords, budgetEnd);
                            if (next >= 0) {
                                deferred.put(tp, next);
                            }
                        }
                        for (final TopicPartition tp : tabledTypes.keySet()) {
                            if (space.indexOf(tp) < 0) {
                                handle(d, records.records(tp));
                            }
                        }
                    });
                    deferred.forEach((tp, offset) -> {
                        if (!stalled.containsKey(tp)) {
                            consumer.seek(tp, offset);
                        }
                    });
                }
                prioritise();
                retryStalled();
                checkTableLoaded();
            } catch (final WakeupException e) {
                // closing
            } catch (final RuntimeException e) {
                LOG.error("live tailer poll failed; retrying", e);
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private void setUp() {
        final List<TopicPartition> all = new ArrayList<>(space.all());
        for (int i = 0; i < space.size(); i++) {
            final TopicPartition tp = space.partition(i);
            (space.laneOf(i) == Lane.URGENT ? urgent : normal).add(tp);
            final StreamedTopic topic = space.topicOf(i);
            if (topic.tabled()) {
                tabledTypes.put(tp, topic.spec().valueType());
            }
        }
        for (final TopicSpec<?> spec : tableOnly) {
            for (final org.apache.kafka.common.PartitionInfo info : consumer.partitionsFor(spec.name(), Duration.ofSeconds(30))) {
                final TopicPartition tp = new TopicPartition(spec.name(), info.partition());
                all.add(tp);
                tabledTypes.put(tp, spec.valueType());
            }
        }
        consumer.assign(all);
        final Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
        final long[] start = space.empty();
        for (final TopicPartition tp : all) {
            final int i = space.indexOf(tp);
            if (i >= 0) {
                start[i] = end.get(tp);
            }
            if (tabledTypes.containsKey(tp)) {
                consumer.seekToBeginning(List.of(tp));
                if (end.get(tp) > 0) {
                    tableTargets.put(tp, end.get(tp));
                }
            } else {
                consumer.seek(tp, end.get(tp));
            }
        }
        hub.start(start);
        LOG.info("live tailer assigned {} partitions ({} urgent), state table loading from {} partitions",
                all.size(), urgent.size(), tabledTypes.size());
        checkTableLoaded();
    }

    /**
     * Longest time one poll's NORMAL records may take to dispatch before the rest waits for the next poll, so that
     * urgent partitions are looked at again; an URGENT record then waits at most about this long for the tailer.
     */
    static final Duration NORMAL_BATCH_BUDGET = Duration.ofMillis(20);

    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration HELD_POLL = Duration.ofMillis(5);

    /** Handles records in order until the budget ends; returns the offset of the first one not handled, or -1. */
    private long handleWithin(final Hub.Dispatcher d, final List<ConsumerRecord<String, byte[]>> records, final long budgetEnd) {
        for (int i = 0; i < records.size(); i++) {
            if (i > 0 && (System.nanoTime() - budgetEnd > 0 || hub.congestion().saturated())) {
                return records.get(i).offset();
            }
            if (!handleOne(d, records.get(i))) {
                return -1; // stalled: the partition is already held at that record
            }
        }
        return -1;
    }

    private void handle(final Hub.Dispatcher d, final List<ConsumerRecord<String, byte[]>> records) {
        for (final ConsumerRecord<String, byte[]> record : records) {
            if (!handleOne(d, record)) {
                return;
            }
        }
    }

    /** Handles one record; false when its partition was stalled at it (see {@link #stall}). */
    private boolean handleOne(final Hub.Dispatcher d, final ConsumerRecord<String, byte[]> record) {
        final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        SpecificRecord value = null;
        boolean decoded = true;
        if (record.value() != null) {
            try {
                value = decoder.decode(record.topic(), record.value());
            } catch (final AvroSerdeException e) {
                if (!e.isPoison()) {
                    // The registry is down and this writer schema is not cached: skipping would lose the record
                    // for every live client (their cursors would move past it). Hold this partition at the
                    // record and try again shortly; the other partitions go on.
                    stall(tp, record.offset(), e);
                    return false;
                }
                decoded = false;
                metrics.decodeFailure();
                LOG.warn("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            } catch (final RuntimeException e) {
                decoded = false;
                metrics.decodeFailure();
                LOG.warn("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            }
        }
        final Class<?> tabled = tabledTypes.get(tp);
        if (tabled != null && decoded) {
            table.apply(record.key(), value, tabled);
        }
        final int i = space.indexOf(tp);
        if (i < 0) {
            return true;
        }
        final Routed routed = value == null ? null : RoomRouting.route(space.topicOf(i), value).orElse(null);
        final SpecificRecord v = value;
        final LiveEvent event = d.dispatch(i, record.offset(), routed, () -> AvroJson.toJson(v));
        if (event != null) {
            metrics.dispatched();
        }
        return true;
    }

    /** How long a partition waits before its undecodable record is tried again. */
    static final Duration STALL_RETRY = Duration.ofSeconds(1);

    private void stall(final TopicPartition tp, final long offset, final AvroSerdeException cause) {
        consumer.seek(tp, offset);
        consumer.pause(List.of(tp));
        if (stalled.put(tp, System.nanoTime() + STALL_RETRY.toNanos()) == null) {
            LOG.warn("holding {} at offset {} until its schema can be fetched: {}", tp, offset, cause.getMessage());
        }
    }

    /** Resumes stalled partitions whose retry time has come (a NORMAL one waits while the NORMAL lane is paused). */
    private void retryStalled() {
        if (stalled.isEmpty()) {
            return;
        }
        final long now = System.nanoTime();
        final var it = stalled.entrySet().iterator();
        while (it.hasNext()) {
            final Map.Entry<TopicPartition, Long> e = it.next();
            if (now - e.getValue() >= 0 && !(normalPaused && normal.contains(e.getKey()))) {
                consumer.resume(List.of(e.getKey()));
                it.remove();
            }
        }
    }

    /**
     * Pauses the NORMAL lane while any URGENT partition is behind, or while most connections are congested (their
     * queues of live frames are long: the tailer waits for the clients instead of filling every queue until all are
     * closed as slow consumers, see {@link Congestion}); resumes it when neither holds.
     */
    private void prioritise() {
        boolean urgentBehind = false;
        long lag = 0;
        for (final TopicPartition tp : urgent) {
            final OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent() && l.getAsLong() > 0) {
                urgentBehind = true;
                lag += l.getAsLong();
            }
        }
        final boolean hold = urgentBehind || hub.congestion().saturated();
        if (hold && !normalPaused) {
            consumer.pause(normal);
            normalPaused = true;
        } else if (!hold && normalPaused) {
            consumer.resume(normal);
            normalPaused = false;
        }
        if (!normalPaused) {
            for (final TopicPartition tp : normal) {
                final OptionalLong l = consumer.currentLag(tp);
                if (l.isPresent()) {
                    lag += l.getAsLong();
                }
            }
        }
        metrics.tailerLag(lag);
    }

    private void checkTableLoaded() {
        if (tableLoaded) {
            return;
        }
        for (final Map.Entry<TopicPartition, Long> e : tableTargets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        tableLoaded = true;
        LOG.info("state table loaded");
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
