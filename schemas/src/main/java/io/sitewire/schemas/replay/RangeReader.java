package io.sitewire.schemas.replay;

import io.sitewire.schemas.registry.AvroDeserializer;
import io.sitewire.schemas.registry.AvroSerdeException;
import io.sitewire.schemas.registry.DecodeFailure;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a {@link RangeQuery} from Kafka: plans it into fixed per-partition offsets ({@link #plan}), then streams
 * the decoded records that match to a sink in per-partition order ({@link #read}), with progress and a summary.
 *
 * <p>It never joins a consumer group and never commits: partitions are {@code assign}ed and {@code seek}ed, so a
 * replay is invisible to the live apps and can run any number of times. The end of each partition is fixed when the
 * plan is made (the {@code to} bound, or the end offset at that moment), so a replay of a busy topic ends. The consumer
 * reads committed records only ({@code read_committed}, unless the config says otherwise): alerts are written in
 * transactions, and an aborted one was never an alert.
 *
 * <p>Values are decoded here, one record at a time, into the topic's value class through the schema registry, so that
 * one record that cannot be decoded is reported ({@link DecodeFailure#describe}), counted and passed over without
 * stopping the read (unless {@link Options#failOnError}). The registry being unreachable is not such a record: it
 * stops the read ({@link ReplayAbortedException}), since every record would fail. Memory stays bounded: records are
 * handed on as they are fetched and nothing is collected.
 *
 * <p>One reader serves one read at a time (a KafkaConsumer is single-threaded); close it when done.
 */
public final class RangeReader implements AutoCloseable {

    /** How long metadata calls (partitions, offsets) may take before the plan fails. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final SchemaRegistryClient registry;
    private final TopicCatalogue catalogue;
    private final Options options;
    private final Map<String, AvroDeserializer<SpecificRecord>> deserializers = new HashMap<>();

    /**
     * @param consumerConfig Kafka client settings ({@code bootstrap.servers}, security); group, commit, offset-reset
     *                       and deserializer settings are replaced, see {@link #consumerConfig}
     * @param registry       the schema registry the records were written with
     * @param catalogue      the topic set the query's topic names are resolved in
     */
    public RangeReader(final Map<String, ?> consumerConfig, final SchemaRegistryClient registry,
            final TopicCatalogue catalogue, final Options options) {
        this.consumer = new KafkaConsumer<>(consumerConfig(consumerConfig), new StringDeserializer(), new ByteArrayDeserializer());
        this.registry = Objects.requireNonNull(registry, "registry");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.options = Objects.requireNonNull(options, "options");
    }

    public RangeReader(final Map<String, ?> consumerConfig, final SchemaRegistryClient registry,
            final TopicCatalogue catalogue) {
        this(consumerConfig, registry, catalogue, Options.defaults());
    }

    /**
     * How a read behaves.
     *
     * @param failOnError  stop at the first record that cannot be decoded ({@link ReplayAbortedException}); default
     *                     false: count it, report it to the listener and go on
     * @param idleTimeout  stop when no offset was passed for this long (a partition without a leader); default 60 s
     * @param listener     progress and decode failures as they happen
     */
    public record Options(boolean failOnError, Duration idleTimeout, ReplayListener listener) {

        public Options {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(listener, "listener");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
        }

        public static Options defaults() {
            return new Options(false, Duration.ofSeconds(60), ReplayListener.NONE);
        }

        public Options withFailOnError(final boolean value) {
            return new Options(value, idleTimeout, listener);
        }

        public Options withIdleTimeout(final Duration value) {
            return new Options(failOnError, value, listener);
        }

        public Options withListener(final ReplayListener value) {
            return new Options(failOnError, idleTimeout, value);
        }
    }

    /**
     * The consumer settings a replay runs with: the given ones, without {@code group.id}, with auto-commit off,
     * {@code auto.offset.reset=none} (a position that fell out of the log is reported, not silently moved), no topic
     * auto-creation, and {@code read_committed} and {@code client.id=sitewire-replay} unless given.
     */
    public static Map<String, Object> consumerConfig(final Map<String, ?> given) {
        final Map<String, Object> config = new HashMap<>(given);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sitewire-replay");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return config;
    }

    /**
     * Resolves the query's topics and fixes the offsets to read: for a time range, the first offset at or after
     * {@code from} (the broker's time index) up to the first offset at or after {@code to}, or the end offset now;
     * for offset ranges, the range clamped to what the log holds now, with a note for any part no longer or not yet
     * there.
     *
     * @throws InvalidRangeQueryException for names the catalogue does not know, or partitions a topic does not have
     * @throws ReplayException            when a topic is missing from the cluster
     */
    public RangePlan plan(final RangeQuery query) {
        final RangeQuery.Resolved resolved = query.resolve(catalogue);
        final List<String> notes = new ArrayList<>(resolved.notes());
        final Map<String, Integer> partitionCounts = partitionCounts(resolved.topics());
        final List<RangePlan.PartitionRange> ranges = new ArrayList<>();
        if (query.byOffsets()) {
            final List<String> problems = new ArrayList<>();
            final List<TopicPartition> parts = new ArrayList<>();
            for (final RangeQuery.Resolved.Offsets o : resolved.offsets()) {
                final int count = partitionCounts.get(o.topic().name());
                if (o.range().partition() >= count) {
                    problems.add(RangeQuery.OFFSETS + ": " + o.range() + ": " + o.topic().name() + " has partitions 0.."
                            + (count - 1));
                }
                parts.add(new TopicPartition(o.topic().name(), o.range().partition()));
            }
            if (!problems.isEmpty()) {
                throw new InvalidRangeQueryException(problems);
            }
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, METADATA_TIMEOUT);
            final Map<TopicPartition, Long> end = consumer.endOffsets(parts, METADATA_TIMEOUT);
            for (final RangeQuery.Resolved.Offsets o : resolved.offsets()) {
                final TopicPartition tp = new TopicPartition(o.topic().name(), o.range().partition());
                final long first = begin.get(tp);
                final long last = end.get(tp);
                long start = o.range().fromOffset();
                long stop = o.range().open() ? last : o.range().toOffset() + 1;
                if (start < first) {
                    notes.add(tp + ": offsets " + start + ".." + Math.min(first, stop) + " (exclusive) are no longer in"
                            + " the log, which starts at " + first + " (deleted by retention or compaction)");
                    start = first;
                }
                if (stop > last) {
                    notes.add(tp + ": the log ends at offset " + last + " (exclusive); offsets " + Math.max(last, start)
                            + ".." + (stop - 1) + " do not exist yet");
                    stop = last;
                }
                if (stop > start) {
                    ranges.add(new RangePlan.PartitionRange(o.topic(), tp.partition(), start, stop));
                }
            }
        } else {
            final List<TopicPartition> parts = new ArrayList<>();
            final Map<String, TopicSpec<?>> specs = new HashMap<>();
            for (final TopicSpec<?> spec : resolved.topics()) {
                specs.put(spec.name(), spec);
                for (int p = 0; p < partitionCounts.get(spec.name()); p++) {
                    parts.add(new TopicPartition(spec.name(), p));
                }
            }
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, METADATA_TIMEOUT);
            final Map<TopicPartition, Long> end = consumer.endOffsets(parts, METADATA_TIMEOUT);
            final Map<TopicPartition, Long> starts = query.from().isPresent()
                    ? offsetsAt(parts, query.from().get().toEpochMilli(), end) : begin;
            final Map<TopicPartition, Long> stops = query.to().isPresent()
                    ? offsetsAt(parts, query.to().get().toEpochMilli(), end) : end;
            for (final TopicPartition tp : parts) {
                final long start = Math.max(begin.get(tp), starts.get(tp));
                final long stop = Math.min(end.get(tp), stops.get(tp));
                if (stop > start) {
                    ranges.add(new RangePlan.PartitionRange(specs.get(tp.topic()), tp.partition(), start, stop));
                }
            }
        }
        return new RangePlan(query, resolved.topics(), ranges, notes);
    }

    /** Plans and reads the query. */
    public RangeSummary read(final RangeQuery query, final Consumer<? super ReplayedRecord> sink) {
        return read(plan(query), sink);
    }

    /**
     * Reads the plan, handing every matching record to {@code sink} as it is fetched; records of one partition come
     * in offset order, partitions interleave. An exception from the sink (a client that went away) ends the read
     * and propagates.
     *
     * @return the counts, when the end of every partition (or the limit) was reached
     * @throws ReplayAbortedException when stopped early (see the class comment), with the counts so far
     */
    public RangeSummary read(final RangePlan plan, final Consumer<? super ReplayedRecord> sink) {
        final Run run = new Run(plan, sink);
        try {
            run.execute();
            return run.summary(false);
        } finally {
            consumer.unsubscribe();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    private Map<String, Integer> partitionCounts(final List<TopicSpec<?>> topics) {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final List<String> missing = new ArrayList<>();
        for (final TopicSpec<?> spec : topics) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(spec.name(), METADATA_TIMEOUT);
            } catch (final UnknownTopicOrPartitionException e) {
                infos = List.of();
            }
            if (infos == null || infos.isEmpty()) {
                missing.add(spec.name());
            } else {
                counts.put(spec.name(), infos.size());
            }
        }
        if (!missing.isEmpty()) {
            throw new ReplayException("not on the cluster: " + String.join(", ", missing)
                    + " (topic prefix '" + catalogue.prefix() + "'; are the topics provisioned, is the prefix right?)");
        }
        return counts;
    }

    /** First offset with a timestamp at or after {@code timestamp}, or the end offset when there is none. */
    private Map<TopicPartition, Long> offsetsAt(final List<TopicPartition> parts, final long timestamp,
            final Map<TopicPartition, Long> end) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, Math.max(0, timestamp)));
        final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, METADATA_TIMEOUT);
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        for (final TopicPartition tp : parts) {
            final OffsetAndTimestamp at = found.get(tp);
            offsets.put(tp, at == null ? end.get(tp) : at.offset());
        }
        return offsets;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private AvroDeserializer<SpecificRecord> deserializer(final TopicSpec<?> spec) {
        return deserializers.computeIfAbsent(spec.name(),
                name -> new AvroDeserializer(spec.valueType(), registry, false));
    }

    /** The state of one read. */
    private final class Run {
        private final RangePlan plan;
        private final Consumer<? super ReplayedRecord> sink;
        private final long startNanos = System.nanoTime();
        private final Map<TopicPartition, RangePlan.PartitionRange> remaining = new LinkedHashMap<>();
        private final Map<TopicPartition, RangePlan.PartitionRange> all = new LinkedHashMap<>();
        private final Map<String, long[]> counts = new LinkedHashMap<>(); // read, matched, filtered, tombstones, failed
        private final List<String> failures = new ArrayList<>();
        private final List<String> notes;
        private final long from;
        private final long to;
        private final long limit;
        private long read;
        private long matched;
        private long filtered;
        private long tombstones;
        private long failed;
        private boolean limitReached;

        Run(final RangePlan plan, final Consumer<? super ReplayedRecord> sink) {
            this.plan = plan;
            this.sink = Objects.requireNonNull(sink, "sink");
            this.notes = new ArrayList<>(plan.notes());
            this.from = plan.query().from().map(java.time.Instant::toEpochMilli).orElse(Long.MIN_VALUE);
            this.to = plan.query().to().map(java.time.Instant::toEpochMilli).orElse(Long.MAX_VALUE);
            this.limit = plan.query().limit().orElse(Long.MAX_VALUE);
            plan.topics().forEach(t -> counts.put(t.name(), new long[5]));
            for (final RangePlan.PartitionRange range : plan.partitions()) {
                final TopicPartition tp = new TopicPartition(range.topic().name(), range.partition());
                remaining.put(tp, range);
                all.put(tp, range);
            }
        }

        void execute() {
            if (remaining.isEmpty()) {
                return;
            }
            consumer.assign(remaining.keySet());
            remaining.forEach((tp, range) -> consumer.seek(tp, range.startOffset()));
            long lastDone = -1;
            long lastProgressNanos = System.nanoTime();
            while (!remaining.isEmpty() && !limitReached) {
                final ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (final OffsetOutOfRangeException e) {
                    skipDeleted(e);
                    continue;
                }
                for (final TopicPartition tp : records.partitions()) {
                    final RangePlan.PartitionRange range = remaining.get(tp);
                    if (range == null) {
                        continue; // finished (paused) while this batch was in flight
                    }
                    for (final ConsumerRecord<String, byte[]> record : records.records(tp)) {
                        if (record.offset() >= range.stopOffset()) {
                            break;
                        }
                        handle(range.topic(), record);
                        if (matched >= limit) {
                            limitReached = true;
                            break;
                        }
                    }
                    if (limitReached) {
                        break;
                    }
                }
                final List<TopicPartition> finished = new ArrayList<>();
                for (final Map.Entry<TopicPartition, RangePlan.PartitionRange> e : remaining.entrySet()) {
                    if (consumer.position(e.getKey()) >= e.getValue().stopOffset()) {
                        finished.add(e.getKey());
                    }
                }
                if (!finished.isEmpty()) {
                    consumer.pause(finished);
                    finished.forEach(remaining::remove);
                }
                final long done = offsetsDone();
                final long now = System.nanoTime();
                if (done != lastDone) {
                    lastDone = done;
                    lastProgressNanos = now;
                    options.listener().onProgress(progress(done));
                } else if (now - lastProgressNanos > options.idleTimeout().toNanos()) {
                    throw new ReplayAbortedException("no progress for " + options.idleTimeout().toSeconds()
                            + " s; still to read: " + remaining.values() + " (is the broker reachable, do the "
                            + "partitions have leaders?)", summary(true), null);
                }
            }
        }

        private void handle(final TopicSpec<?> topic, final ConsumerRecord<String, byte[]> record) {
            read++;
            final long[] c = counts.get(topic.name());
            c[0]++;
            if (record.timestamp() < from || record.timestamp() >= to) {
                filtered++; // out-of-order timestamps near the bounds
                c[2]++;
                return;
            }
            if (record.value() == null) {
                tombstones++;
                c[3]++;
                return;
            }
            final SpecificRecord value;
            try {
                value = deserializer(topic).deserialize(record.topic(), record.headers(), record.value());
            } catch (final SerializationException e) {
                final String description = DecodeFailure.describe(record.topic(), record.partition(), record.offset(), e);
                if (e instanceof AvroSerdeException serde && !serde.isPoison()) {
                    throw new ReplayAbortedException(description, summary(true), e);
                }
                failed++;
                c[4]++;
                if (failures.size() < RangeSummary.MAX_LISTED_FAILURES) {
                    failures.add(description);
                }
                options.listener().onDecodeFailure(description);
                if (options.failOnError()) {
                    throw new ReplayAbortedException(description, summary(true), e);
                }
                return;
            }
            if (!plan.query().matches(topic, record.timestamp(), value)) {
                filtered++;
                c[2]++;
                return;
            }
            matched++;
            c[1]++;
            sink.accept(new ReplayedRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.key(), value));
        }

        /** Retention deleted records ahead of us during the read: say which, and go on from the new log start. */
        private void skipDeleted(final OffsetOutOfRangeException e) {
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(e.partitions(), METADATA_TIMEOUT);
            for (final Map.Entry<TopicPartition, Long> out : e.offsetOutOfRangePartitions().entrySet()) {
                final TopicPartition tp = out.getKey();
                final long first = begin.getOrDefault(tp, out.getValue());
                notes.add(tp + ": offsets " + out.getValue() + ".." + first + " (exclusive) were deleted from the log "
                        + "during the read (retention)");
                consumer.seek(tp, first);
            }
        }

        private long offsetsDone() {
            long done = 0;
            for (final Map.Entry<TopicPartition, RangePlan.PartitionRange> e : all.entrySet()) {
                final RangePlan.PartitionRange range = e.getValue();
                final long position = remaining.containsKey(e.getKey()) ? consumer.position(e.getKey()) : range.stopOffset();
                done += Math.max(0, Math.min(position, range.stopOffset()) - range.startOffset());
            }
            return done;
        }

        private ReplayProgress progress(final long done) {
            return new ReplayProgress(done, plan.estimatedRecords(), read, matched, failed,
                    Duration.ofNanos(System.nanoTime() - startNanos));
        }

        RangeSummary summary(final boolean aborted) {
            if (!aborted) {
                options.listener().onProgress(progress(limitReached ? offsetsDone() : plan.estimatedRecords()));
            }
            final Map<String, RangeSummary.TopicCounts> perTopic = new LinkedHashMap<>();
            counts.forEach((name, c) -> perTopic.put(name, new RangeSummary.TopicCounts(c[0], c[1], c[2], c[3], c[4])));
            return new RangeSummary(plan.query().describe(), read, matched, filtered, tombstones, failed, perTopic,
                    Duration.ofNanos(System.nanoTime() - startNanos), limitReached, failures, notes);
        }
    }
}
