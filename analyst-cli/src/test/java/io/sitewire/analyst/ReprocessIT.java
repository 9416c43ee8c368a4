package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.provision.SchemaProvisioner;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClient;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sitewire-replay reprocess} on the real broker and registry, running the real streams-app topology. */
@SitewireStack
class ReprocessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aReadingAboveAnOverriddenLimitRaisesAWhatIfAlertAndLiveTopicsAreUntouched(final LocalStack stack) throws Exception {
        // Given "live" topics of their own (a unique prefix stands in for sitewire), provisioned with their schemas
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final TopicCatalogue live = TopicCatalogue.withPrefix("rp-" + run);
        final SchemaRegistryClient registry = HttpSchemaRegistryClient.builder(stack.registryUrl()).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(live.all());
        }
        new SchemaProvisioner(registry).provision(live.all());
        // and two CO readings of project p-<run> in the past: 150 ppm (under the default 200 ppm ceiling) and 40 ppm
        final Instant t0 = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        final String project = "p-" + run;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new AvroSerializer<>(registry, false))) {
            producer.send(reading(live, project, "co-1", 150.0, t0.plusSeconds(1))).get();
            producer.send(reading(live, project, "co-2", 40.0, t0.plusSeconds(2))).get();
        }
        final Map<TopicPartition, Long> liveBefore = endOffsets(stack, live.all());

        // When the readings from t0 to t0+10 s are reprocessed with a CO ceiling of 100 ppm
        final Path alerts = dir.resolve("whatif-alerts.ndjson");
        final String name = "it-" + run;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Map<String, String> env = new HashMap<>();
        env.put("SITEWIRE_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SITEWIRE_SCHEMA_REGISTRY_URL", stack.registryUrl());
        env.put("SITEWIRE_TOPIC_PREFIX", live.prefix());
        final int code = ReplayCli.run(new String[] {"reprocess", "--name", name, "--topics", "sensor-readings",
                "--from", t0.toString(), "--to", t0.plusSeconds(10).toString(), "--project", project,
                "--set", "air.co.ceiling.limit=100", "--out", alerts.toString(), "--progress", "none", "--timeout", "240"},
                env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        final String log = err.toString(StandardCharsets.UTF_8);

        // Then it succeeds with the CO-ceiling alerts at the overridden limit (the sensor's, and its zone's roll-up),
        // RAISED from the 150 ppm reading, written to the what-if alert topic; the 40 ppm reading raises nothing
        assertThat(code).as(log).isEqualTo(ReplayCli.EXIT_OK);
        final List<JsonNode> lines = Files.readAllLines(alerts).stream().map(ReprocessIT::json).toList();
        assertThat(lines).as(log).extracting(l -> l.get("data").get("rule").asText())
                .containsExactlyInAnyOrder("air.co.ceiling", "air.co.ceiling.zone");
        for (final JsonNode line : lines) {
            assertThat(line.get("topic").asText()).isEqualTo("whatif-" + name + ".alerts.urgent");
            final JsonNode alert = line.get("data");
            assertThat(alert.get("type").asText()).isEqualTo("GAS_CEILING");
            assertThat(alert.get("state").asText()).isEqualTo("RAISED");
            assertThat(alert.get("projectId").asText()).isEqualTo(project);
            assertThat(alert.get("value").asDouble()).isEqualTo(150.0);
            assertThat(alert.get("limit").asDouble()).isEqualTo(100.0);
            assertThat(alert.get("sourceTime").asLong()).isEqualTo(t0.plusSeconds(1).toEpochMilli());
        }
        assertThat(log).containsPattern("URGENT +GAS_CEILING +2 / 0 +0 / 0");
        // and nothing was written to the live topics: every end offset is where it was
        assertThat(endOffsets(stack, live.all())).isEqualTo(liveBefore);

        // And a second run under the same name is refused rather than doubling the what-if inputs
        final ByteArrayOutputStream again = new ByteArrayOutputStream();
        final int second = ReplayCli.run(new String[] {"reprocess", "--name", name, "--topics", "sensor-readings",
                "--from", t0.toString(), "--progress", "none"}, env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(again, true, StandardCharsets.UTF_8));
        assertThat(second).isEqualTo(ReplayCli.EXIT_FAILED);
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("already holds input records");
    }

    private static ProducerRecord<String, SpecificRecord> reading(final TopicCatalogue live, final String project,
            final String sensor, final double ppm, final Instant at) {
        return new ProducerRecord<>(live.sensorReadings().name(), null, at.toEpochMilli(), project, SensorReading.newBuilder()
                .setProjectId(project).setSensorId(sensor).setZone("basement").setMetric(Metric.co_ppm).setValue(ppm)
                .setWorkerId(null).setEventTime(at.toEpochMilli()).build());
    }

    private static Map<TopicPartition, Long> endOffsets(final LocalStack stack, final List<TopicSpec<?>> topics) throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.forEach(t -> {
            for (int p = 0; p < t.partitions(); p++) {
                latest.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        });
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    private static JsonNode json(final String line) {
        try {
            return JSON.readTree(line);
        } catch (final Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
