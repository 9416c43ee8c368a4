package io.sitewire.schemas.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RangeReader on the real broker and registry. One set of records with explicit partitions and timestamps (and one
 * poison record) is produced once; each test reads a different stretch of it and compares with what was produced.
 */
@SitewireStack
class RangeReaderIT {

    /** Half an hour ago, whole seconds: the broker refuses timestamps more than an hour ahead. */
    private static final Instant T0 = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    private static TopicCatalogue catalogue;
    private static SchemaRegistryClient registry;
    private static String bootstrap;
    /** Everything produced, with where it landed, in production order. */
    private static final List<ReplayedRecord> PRODUCED = new ArrayList<>();
    private static long poisonOffset;

    @BeforeAll
    static void produceKnownRecords(final LocalStack stack) throws Exception {
        // Given a catalogue of its own, with readings and alerts provisioned
        catalogue = TopicCatalogue.withPrefix("rr-" + UUID.randomUUID().toString().substring(0, 8));
        bootstrap = stack.bootstrapServers();
        registry = HttpSchemaRegistryClient.builder(stack.registryUrl()).build();
        final List<TopicSpec<?>> topics = new ArrayList<>(catalogue.alerts().topicsByUrgency());
        topics.add(catalogue.sensorReadings());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(topics);
        }
        // and readings of p1 and p2 on partitions 0..2, one a second from T0, a poison record on partition 1 at
        // T0+4.5 s, and alerts of both projects on the emergency and low topics
        final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            final String readings = catalogue.sensorReadings().name();
            for (int i = 0; i < 12; i++) {
                final String project = i % 3 == 0 ? "p2" : "p1";
                final long ts = T0.toEpochMilli() + i * 1000L;
                final SensorReading reading = Records.reading(project, i % 2 == 0 ? "basement" : "roof", Metric.co_ppm, 10 + i, ts);
                send(producer, serializer, readings, i % 3, ts, project, reading);
                if (i == 4) {
                    final RecordMetadata poison = producer.send(new ProducerRecord<>(readings, 1, ts + 500, "p1",
                            "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
                    poisonOffset = poison.offset();
                }
            }
            for (int i = 0; i < 4; i++) {
                final long ts = T0.toEpochMilli() + 2500 + i * 2000L;
                final String project = i % 2 == 0 ? "p1" : "p2";
                final Priority priority = i < 2 ? Priority.EMERGENCY : Priority.LOW;
                send(producer, serializer, catalogue.alerts().topic(priority).name(), 0, ts, project,
                        Records.alert(project, priority, "basement", ts));
            }
        }
    }

    @Test
    void readsATimeRangeFilteredByProjectInPartitionOrder() {
        // When p1's records from T0+2s (inclusive) to T0+9s (exclusive) of readings and alerts are read
        final RangeQuery query = RangeQuery.builder().topics("sensor-readings", "alerts")
                .from(T0.plusSeconds(2)).to(T0.plusSeconds(9)).project("p1").build();
        final List<ReplayedRecord> got = new CopyOnWriteArrayList<>();
        final List<String> failures = new ArrayList<>();
        final RangeSummary summary;
        try (RangeReader reader = reader(false, failures)) {
            summary = reader.read(query, got::add);
        }

        // Then exactly the produced records of p1 in that window come back, each partition in offset order
        final List<ReplayedRecord> expected = PRODUCED.stream()
                .filter(r -> r.timestamp() >= T0.toEpochMilli() + 2000 && r.timestamp() < T0.toEpochMilli() + 9000)
                .filter(r -> r.key().equals("p1")).toList();
        assertThat(expected).hasSize(7); // readings 2, 4, 5, 7 and 8 s, alerts at 2.5 s (emergency) and 6.5 s (low)
        assertSamePerPartition(got, expected);
        // and the poison record inside the window is counted and described, not skipped silently
        assertThat(summary.failedDecodes()).isEqualTo(1);
        final String where = "Cannot decode value at topic '" + catalogue.sensorReadings().name() + "' partition 1 offset " + poisonOffset + ":";
        assertThat(summary.failures()).singleElement().asString().startsWith(where);
        assertThat(failures).singleElement().asString().startsWith(where);
        assertThat(summary.matched()).isEqualTo(7);
        assertThat(summary.read()).isEqualTo(summary.matched() + summary.filteredOut() + summary.tombstones() + summary.failedDecodes());
        assertThat(summary.topics().get(catalogue.alerts().topic(Priority.EMERGENCY).name()).matched()).isEqualTo(1);
        assertThat(summary.limitReached()).isFalse();
    }

    @Test
    void readsOffsetRangesExactly() {
        // When offsets 1..2 of readings partition 0 and everything from offset 1 of the LOW alerts are read
        final String readings = catalogue.sensorReadings().name();
        final String lowAlerts = catalogue.alerts().topic(Priority.LOW).name();
        final RangeQuery query = RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:0:1-2"))
                .offset(OffsetRange.parse("alerts.low:0:1-")).build();
        final List<ReplayedRecord> got = new ArrayList<>();
        final RangeSummary summary;
        try (RangeReader reader = reader(false, new ArrayList<>())) {
            final RangePlan plan = reader.plan(query);
            assertThat(plan.estimatedRecords()).isEqualTo(3);
            summary = reader.read(plan, got::add);
        }

        // Then those three records, and nothing else
        final List<ReplayedRecord> expected = PRODUCED.stream().filter(r ->
                r.topic().equals(readings) && r.partition() == 0 && r.offset() >= 1 && r.offset() <= 2
                        || r.topic().equals(lowAlerts) && r.offset() >= 1).toList();
        assertThat(expected).hasSize(3);
        assertSamePerPartition(got, expected);
        assertThat(summary.read()).isEqualTo(3);
        assertThat(summary.failedDecodes()).isZero();
    }

    @Test
    void failOnErrorStopsAtThePoisonRecordWithTheCountsSoFar() {
        // When partition 1 of the readings, which holds the poison record, is read with failOnError
        final RangeQuery query = RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:1:0-")).build();
        final List<ReplayedRecord> got = new ArrayList<>();
        try (RangeReader reader = reader(true, new ArrayList<>())) {
            // Then the read stops there, having handed on the records before it
            assertThatThrownBy(() -> reader.read(query, got::add))
                    .isInstanceOfSatisfying(ReplayAbortedException.class, e -> {
                        assertThat(e.getMessage()).startsWith("Cannot decode value at topic '" + catalogue.sensorReadings().name()
                                + "' partition 1 offset " + poisonOffset);
                        assertThat(e.summary().failedDecodes()).isEqualTo(1);
                        assertThat(e.summary().matched()).isEqualTo(poisonOffset);
                    });
        }
        assertThat(got).extracting(ReplayedRecord::offset).containsExactly(java.util.stream.LongStream
                .range(0, poisonOffset).boxed().toArray(Long[]::new));
    }

    @Test
    void stopsAtTheLimitAndIgnoresRecordsProducedAfterThePlan() throws Exception {
        final RangeQuery all = RangeQuery.builder().topics("alerts.emergency").build();
        try (RangeReader reader = reader(false, new ArrayList<>())) {
            // Given a plan of the emergency alerts made before one more is produced
            final RangePlan plan = reader.plan(all);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
                final long ts = T0.toEpochMilli() + 60_000;
                producer.send(new ProducerRecord<>(plan.topics().get(0).name(), 0, ts, "p9", new AvroSerializer<SpecificRecord>(
                        registry, false).serialize(plan.topics().get(0).name(), Records.alert("p9", Priority.EMERGENCY, "x", ts)))).get();
            }
            // When read, Then only the two planned alerts come back
            final List<ReplayedRecord> got = new ArrayList<>();
            assertThat(reader.read(plan, got::add).matched()).isEqualTo(2);
            assertThat(got).extracting(r -> r.key()).containsExactly("p1", "p2");

            // and a limit of 1 stops after the first, saying so
            final List<ReplayedRecord> limited = new ArrayList<>();
            final RangeSummary summary = reader.read(RangeQuery.builder().topics("alerts.emergency").limit(1).build(), limited::add);
            assertThat(limited).hasSize(1);
            assertThat(summary.limitReached()).isTrue();
        }
    }

    @Test
    void missingTopicsAndPartitionsAreClearErrors() {
        try (RangeReader reader = reader(false, new ArrayList<>())) {
            assertThatThrownBy(() -> reader.plan(RangeQuery.builder().topics("wearable-alarms").build()))
                    .isInstanceOf(ReplayException.class)
                    .hasMessage("not on the cluster: " + catalogue.wearableAlarms().name() + " (topic prefix '"
                            + catalogue.prefix() + "'; are the topics provisioned, is the prefix right?)");
            assertThatThrownBy(() -> reader.plan(RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:12:0-1")).build()))
                    .isInstanceOf(InvalidRangeQueryException.class)
                    .hasMessageContaining("offsets: sensor-readings:12:0-1: " + catalogue.sensorReadings().name() + " has partitions 0..11");
            // offsets beyond the end are clamped with a note
            final RangePlan plan = reader.plan(RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:2:3-99")).build());
            assertThat(plan.estimatedRecords()).isEqualTo(1); // offsets 0..3 exist on partition 2 (readings 2, 5, 8, 11)
            assertThat(plan.notes()).singleElement().asString().contains("the log ends at offset 4");
        }
    }

    private static RangeReader reader(final boolean failOnError, final List<String> failures) {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new RangeReader(config, registry, catalogue, RangeReader.Options.defaults().withFailOnError(failOnError)
                .withIdleTimeout(Duration.ofSeconds(30)).withListener(new ReplayListener() {
                    @Override
                    public void onDecodeFailure(final String description) {
                        failures.add(description);
                    }
                }));
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final AvroSerializer<SpecificRecord> serializer,
            final String topic, final int partition, final long ts, final String key, final SpecificRecord value) throws Exception {
        final RecordMetadata at = producer.send(new ProducerRecord<>(topic, partition, ts, key, serializer.serialize(topic, value))).get();
        PRODUCED.add(new ReplayedRecord(topic, partition, at.offset(), ts, key, value));
    }

    /** Same records; within each partition, the same order. */
    private static void assertSamePerPartition(final List<ReplayedRecord> got, final List<ReplayedRecord> expected) {
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(byPartition(got)).isEqualTo(byPartition(expected));
    }

    private static Map<String, List<Long>> byPartition(final List<ReplayedRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.topic() + "-" + r.partition(), LinkedHashMap::new,
                Collectors.mapping(ReplayedRecord::offset, Collectors.toList())));
    }
}
