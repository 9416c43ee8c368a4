package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.events.AlarmKind;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.json.AvroJson;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSchemas;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.replay.ReplayedRecord;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sitewire-replay export} end to end, run in-process against the real broker and registry: known records with
 * explicit partitions and timestamps (and one poison record) are produced once to a catalogue of this class's own;
 * each test exports a stretch and compares the files with what was produced.
 */
@SitewireStack
class ExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Half an hour ago in whole seconds: the broker refuses timestamps more than an hour ahead. */
    private static final Instant T0 = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    private static TopicCatalogue catalogue;
    private static LocalStack stack;
    private static final List<ReplayedRecord> PRODUCED = new ArrayList<>();
    private static long poisonOffset;

    @TempDir
    Path dir;

    @BeforeAll
    static void produceKnownRecords(final LocalStack localStack) throws Exception {
        // Given a catalogue of its own with readings, wearable alarms and alerts
        stack = localStack;
        catalogue = TopicCatalogue.withPrefix("ex-" + UUID.randomUUID().toString().substring(0, 8));
        final List<TopicSpec<?>> topics = new ArrayList<>(catalogue.alerts().topicsByUrgency());
        topics.add(catalogue.sensorReadings());
        topics.add(catalogue.wearableAlarms());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(topics);
        }
        final SchemaRegistryClient registry = HttpSchemaRegistryClient.builder(stack.registryUrl()).build();
        final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, false);
        // and, one a second from T0: readings of p1/p2 in basement/roof on partitions 0..3, a fall alarm of p1 at 3.5 s,
        // alerts of p1 (EMERGENCY at 2.2 s, URGENT at 6.2 s) and of p2 (EMERGENCY at 4.2 s), and a poison reading on
        // partition 2 at 5.5 s
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) {
                final String project = i % 2 == 0 ? "p1" : "p2";
                final long ts = T0.toEpochMilli() + i * 1000L;
                send(producer, serializer, catalogue.sensorReadings().name(), i % 4, ts, project, SensorReading.newBuilder()
                        .setProjectId(project).setSensorId("gas-" + i).setZone(i % 3 == 0 ? "roof" : "basement")
                        .setMetric(Metric.co_ppm).setValue(20.0 + i).setWorkerId(null).setEventTime(ts).build());
            }
            send(producer, serializer, catalogue.wearableAlarms().name(), 1, T0.toEpochMilli() + 3500, "p1",
                    WearableAlarm.newBuilder().setProjectId("p1").setWorkerId("w-7").setDeviceId("tag-7")
                            .setKind(AlarmKind.FALL).setLat(51.5).setLng(-0.12).setEventTime(T0.toEpochMilli() + 3500).build());
            sendAlert(producer, serializer, "p1", Priority.EMERGENCY, 2200);
            sendAlert(producer, serializer, "p2", Priority.EMERGENCY, 4200);
            sendAlert(producer, serializer, "p1", Priority.URGENT, 6200);
            final RecordMetadata poison = producer.send(new ProducerRecord<>(catalogue.sensorReadings().name(), 2,
                    T0.toEpochMilli() + 5500, "p1", new byte[] {0, 0, 0, 0, 1, 2, 3})).get();
            poisonOffset = poison.offset();
        }
    }

    @Test
    void exportsATimeRangeOfOneProjectToNdjson() throws Exception {
        // When p1's alerts and readings from T0+2 s to T0+8 s are exported to NDJSON
        final Path out = dir.resolve("p1.ndjson");
        final Path summaryJson = dir.resolve("summary.json");
        final Result r = cli("export", "--topics", "alerts,sensor-readings", "--from", T0.plusSeconds(2).toString(),
                "--to", Long.toString(T0.plusSeconds(8).toEpochMilli()), "--project", "p1", "--format", "ndjson",
                "--out", out.toString(), "--summary-json", summaryJson.toString(), "--progress", "lines");

        // Then the file holds exactly those records, each partition in offset order, in the documented shape
        final List<ReplayedRecord> expected = PRODUCED.stream()
                .filter(p -> !p.topic().equals(catalogue.wearableAlarms().name()) && p.key().equals("p1"))
                .filter(p -> p.timestamp() >= T0.toEpochMilli() + 2000 && p.timestamp() < T0.toEpochMilli() + 8000).toList();
        assertThat(expected).hasSize(5); // readings at 2, 4 and 6 s, alerts at 2.2 and 6.2 s
        final List<JsonNode> lines = Files.readAllLines(out).stream().map(ExportIT::json).toList();
        assertThat(lines).hasSameSizeAs(expected);
        assertThat(byPartition(lines)).isEqualTo(byPartitionOf(expected));
        for (final JsonNode line : lines) {
            final ReplayedRecord want = find(expected, line.get("topic").asText(), line.get("partition").asInt(),
                    line.get("offset").asLong());
            assertThat(line.get("timestamp").asLong()).isEqualTo(want.timestamp());
            assertThat(line.get("key").asText()).isEqualTo("p1");
            assertThat(line.get("type").asText()).isEqualTo(want.type().jsonName());
            assertThat(AvroJson.fromJson(line.get("data"), want.value().getClass().asSubclass(SpecificRecord.class)))
                    .isEqualTo(want.value());
        }
        // and the poison record inside the range is reported, counted, and makes the exit status 3
        assertThat(r.code).as(r.err).isEqualTo(ReplayCli.EXIT_DECODE_FAILURES);
        assertThat(r.err).contains("WARN  Cannot decode value at topic '" + catalogue.sensorReadings().name()
                + "' partition 2 offset " + poisonOffset + ": ");
        final JsonNode summary = JSON.readTree(summaryJson.toFile()).get("summary");
        assertThat(summary.get("matched").asLong()).isEqualTo(5);
        assertThat(summary.get("failedDecodes").asLong()).isEqualTo(1);
        assertThat(summary.get("complete").asBoolean()).isTrue();
        assertThat(r.err).contains("Exported 5 of ").containsPattern(Pattern.quote(out.toString()) + " +5 records");
    }

    @Test
    void exportsOffsetRangesToOneCsvFilePerType() throws Exception {
        // When readings partition 0 offsets 1..2 and EMERGENCY alerts partition 0 from offset 0 go to CSV
        final Path out = dir.resolve("range.csv");
        final Result r = cli("export", "--offsets", "sensor-readings:0:1-2,alerts.emergency:0:0-", "--format", "csv",
                "--out", out.toString(), "--progress", "none");
        assertThat(r.code).as(r.err).isEqualTo(ReplayCli.EXIT_OK);

        // Then there is a file per type, each with its header and exactly the records of the ranges, in offset order
        final Path readings = dir.resolve("range.sensor_reading.csv");
        final Path alerts = dir.resolve("range.alert.csv");
        assertThat(Files.exists(out)).isFalse();
        final List<String> readingLines = Files.readAllLines(readings);
        assertThat(readingLines.get(0)).isEqualTo("topic,partition,offset,timestamp,key,projectId,sensorId,zone,metric,value,workerId,eventTime");
        final List<ReplayedRecord> wantReadings = PRODUCED.stream().filter(p -> p.topic().equals(catalogue.sensorReadings().name())
                && p.partition() == 0 && p.offset() >= 1 && p.offset() <= 2).toList();
        assertThat(wantReadings).hasSize(2); // readings at 4 s and 8 s
        assertThat(readingLines.subList(1, readingLines.size())).containsExactlyElementsOf(csvLines(SensorReading.class, wantReadings));
        assertThat(readingLines.get(1)).startsWith(catalogue.sensorReadings().name() + ",0,1," + (T0.toEpochMilli() + 4000)
                + ",p1,p1,gas-4,basement,co_ppm,24.0,,");
        final List<String> alertLines = Files.readAllLines(alerts);
        final List<ReplayedRecord> wantAlerts = PRODUCED.stream()
                .filter(p -> p.topic().equals(catalogue.alerts().topic(Priority.EMERGENCY).name())).toList();
        assertThat(wantAlerts).hasSize(2);
        assertThat(alertLines.subList(1, alertLines.size())).containsExactlyElementsOf(csvLines(Alert.class, wantAlerts));
        assertThat(r.err).containsPattern(Pattern.quote(readings.toString()) + " +2 records")
                .containsPattern(Pattern.quote(alerts.toString()) + " +2 records");
    }

    @Test
    void exportsOneTypeToAnAvroContainerFile() throws Exception {
        // When the alerts of the basement are exported as Avro
        final Path out = dir.resolve("alerts.avro");
        final Result r = cli("export", "--topics", "alerts,wearable-alarms", "--from", T0.toString(), "--type", "alert",
                "--zone", "basement", "--format", "avro", "--out", out.toString(), "--progress", "none");
        assertThat(r.code).as(r.err).isEqualTo(ReplayCli.EXIT_OK);

        // Then one container file with the registered schema holds the three alerts (one partition's in offset order)
        final List<Alert> read = new ArrayList<>();
        try (DataFileReader<Alert> file = new DataFileReader<>(out.toFile(), new SpecificDatumReader<>(Alert.class))) {
            assertThat(file.getSchema()).isEqualTo(AvroSchemas.forClass(Alert.class));
            assertThat(file.getMetaString("sitewire.type")).isEqualTo("alert");
            assertThat(file.getMetaString("sitewire.query")).contains("type=alert").contains("zone=basement");
            file.forEach(read::add);
        }
        final List<SpecificRecord> expected = PRODUCED.stream().filter(p -> p.value() instanceof Alert).map(ReplayedRecord::value).toList();
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected.stream().map(Alert.class::cast).toList());
        assertThat(read.stream().filter(a -> a.getPriority() == Priority.EMERGENCY).map(Alert::getProjectId)).containsExactly("p1", "p2");
        assertThat(r.err).contains("note: skipped " + catalogue.wearableAlarms().name() + ": it holds wearable_alarm records, not alert");
    }

    @Test
    void failOnErrorStopsAndLeavesOnlyAPartialFile() throws Exception {
        final Path out = dir.resolve("strict.ndjson");
        final Result r = cli("export", "--offsets", "sensor-readings:2:0-", "--fail-on-error", "--out", out.toString(),
                "--progress", "none");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_FAILED);
        assertThat(r.err).contains("stopped: Cannot decode value at topic '" + catalogue.sensorReadings().name()
                + "' partition 2 offset " + poisonOffset);
        assertThat(Files.exists(out)).isFalse();
        assertThat(r.err).contains("left incomplete: " + out + ".partial");
        // the records before the poison one are in the partial file
        assertThat(Files.readAllLines(Path.of(out + ".partial"))).hasSize((int) poisonOffset);
    }

    @Test
    void kafkaEnvironmentVariablesReachTheClient() {
        // A KAFKA_* variable is a client setting: an invalid one is refused by the Kafka client itself
        final Result r = cli(Map.of("KAFKA_SECURITY_PROTOCOL", "CARRIER_PIGEON"), "export", "--topics", "alerts",
                "--out", dir.resolve("x.ndjson").toString(), "--progress", "none");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_FAILED);
        assertThat(r.err).contains("CARRIER_PIGEON").contains("security.protocol");
    }

    @Test
    void ndjsonToStandardOutput() throws Exception {
        final Result r = cli("export", "--topics", "wearable-alarms", "--out", "-", "--progress", "none");
        assertThat(r.code).as(r.err).isEqualTo(ReplayCli.EXIT_OK);
        final List<JsonNode> lines = r.out.lines().map(ExportIT::json).toList();
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.get("type").asText()).isEqualTo(EventType.WEARABLE_ALARM.jsonName());
            assertThat(l.get("data").get("kind").asText()).isEqualTo("FALL");
        });
    }

    private static void sendAlert(final KafkaProducer<String, byte[]> producer, final AvroSerializer<SpecificRecord> serializer,
            final String project, final Priority priority, final long afterT0Ms) throws Exception {
        final long ts = T0.toEpochMilli() + afterT0Ms;
        send(producer, serializer, catalogue.alerts().topic(priority).name(), 0, ts, project, Alert.newBuilder()
                .setAlertId(project + "/air.co.ceiling/basement/" + ts).setType(AlertType.GAS_CEILING).setPriority(priority)
                .setState(AlertState.RAISED).setProjectId(project).setZone("basement").setWorkerId(null).setEquipmentId(null)
                .setMetric("co_ppm").setValue(212.5).setLimit(200.0).setRule("air.co.ceiling").setLimitSource("NIOSH REL C 200 ppm")
                .setMessage("CO, \"212.5 ppm\"\nabove the ceiling").setLat(null).setLng(null).setSourceTime(ts - 100)
                .setRaisedAt(ts).build());
    }

    private static void send(final KafkaProducer<String, byte[]> producer, final AvroSerializer<SpecificRecord> serializer,
            final String topic, final int partition, final long ts, final String key, final SpecificRecord value) throws Exception {
        final RecordMetadata at = producer.send(new ProducerRecord<>(topic, partition, ts, key, serializer.serialize(topic, value))).get();
        PRODUCED.add(new ReplayedRecord(topic, partition, at.offset(), ts, key, value));
    }

    private static List<String> csvLines(final Class<? extends SpecificRecord> type, final List<ReplayedRecord> records) {
        final CsvFlattener csv = new CsvFlattener(AvroSchemas.forClass(type), true);
        // a record's quoted message spans two physical lines: split the same way readAllLines does
        return records.stream().flatMap(r -> CsvFlattener.line(csv.cells(r)).lines()).toList();
    }

    private static ReplayedRecord find(final List<ReplayedRecord> records, final String topic, final int partition,
            final long offset) {
        return records.stream().filter(r -> r.topic().equals(topic) && r.partition() == partition && r.offset() == offset)
                .findFirst().orElseThrow(() -> new AssertionError("not expected: " + topic + "-" + partition + "@" + offset));
    }

    private static Map<String, List<Long>> byPartition(final List<JsonNode> lines) {
        return lines.stream().collect(Collectors.groupingBy(l -> l.get("topic").asText() + "-" + l.get("partition").asInt(),
                LinkedHashMap::new, Collectors.mapping(l -> l.get("offset").asLong(), Collectors.toList())));
    }

    private static Map<String, List<Long>> byPartitionOf(final List<ReplayedRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.topic() + "-" + r.partition(), LinkedHashMap::new,
                Collectors.mapping(ReplayedRecord::offset, Collectors.toList())));
    }

    private static JsonNode json(final String line) {
        try {
            return JSON.readTree(line);
        } catch (final Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private Result cli(final String... args) {
        return cli(Map.of(), args);
    }

    private Result cli(final Map<String, String> env, final String... args) {
        final Map<String, String> all = new LinkedHashMap<>(env);
        all.put("SITEWIRE_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        all.put("SITEWIRE_SCHEMA_REGISTRY_URL", stack.registryUrl());
        all.put("SITEWIRE_TOPIC_PREFIX", catalogue.prefix());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = ReplayCli.run(args, all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }
}
