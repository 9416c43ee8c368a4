package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.fuzz.Fuzz;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/events, fuzzed on a real Jetty server with a real broker and registry: mutated arrays and NDJSON, random
 * items, deep nesting. Every answer is 202 (every item accepted), 400 (with per-item errors when items were read),
 * 403 or 413; never a 500 or an unexplained error. Each request has its own seed, printed on failure.
 */
@Tag("integration")
@SitewireStack
class IngestFuzzIT {

    private static final String SECRET = "ingest-fuzz-it-secret-0123456789abcdef0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "pf" + UUID.randomUUID().toString().substring(0, 8);
    private static final String[] ITEMS = {
        Events.sensorReading(PROJECT, "gas-1", 41.0, Events.T0),
        Events.wearableAlarm(PROJECT, "w-1", Events.T0),
        Events.workerPosition(PROJECT, "w-1", Events.T0),
        Events.equipmentStatus(PROJECT, "crane-1", Events.T0),
        Events.workerPresence(PROJECT, "w-1", Events.T0),
        Events.manualBroadcast(PROJECT, "dev-1", "HIGH", Events.T0),
        Events.alert(PROJECT, Events.T0),
    };

    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;
    private static IngestServer server;
    private static String device;

    @BeforeAll
    static void start(final LocalStack stack) throws Exception {
        final TopicCatalogue topics = TopicCatalogue.withPrefix("it-ingest-fuzz-" + UUID.randomUUID().toString().substring(0, 8));
        admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
        final List<TopicSpec<?>> specs = new ArrayList<>(List.of(topics.workerPositions(), topics.workerPresence(),
                topics.equipmentStatus(), topics.sensorReadings(), topics.wearableAlarms()));
        specs.addAll(topics.broadcasts().topicsByUrgency());
        new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60)).provision(specs);
        final Map<String, Object> settings = new HashMap<>(IngestConfig.defaults().producerSettings());
        settings.put("bootstrap.servers", stack.bootstrapServers());
        producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        final TokenVerifier verifier = TokenVerifier.fromConfig(AuthConfig.hs256(SECRET));
        server = new IngestServer(new IngestHandler(verifier, producer,
                SchemaRegistryClients.newClient(Map.of(SchemaRegistryClients.URL, stack.registryUrl())), topics,
                IngestConfig.defaults(), new SimpleMeterRegistry()));
        device = TestTokens.hs256(SECRET, "dev-1", List.of(PROJECT), List.of("device"), List.of(), Duration.ofHours(1));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    private static String body(final Random random, final boolean ndjson) {
        final int n = 1 + random.nextInt(4);
        final String[] items = new String[n];
        for (int i = 0; i < n; i++) {
            items[i] = switch (random.nextInt(6)) {
                case 0 -> Fuzz.json(random, 3);
                case 1 -> "{\"type\":" + Fuzz.json(random, 1) + ",\"data\":" + Fuzz.json(random, 2) + "}";
                case 2 -> Fuzz.mutate(random, ITEMS[random.nextInt(ITEMS.length)]);
                default -> ITEMS[random.nextInt(ITEMS.length)];
            };
        }
        return ndjson ? String.join("\n", items) : "[" + String.join(",", items) + "]";
    }

    private static int assertAnswered(final String contentType, final String body) throws Exception {
        final HttpResponse<String> response = server.post(device, contentType, body);
        final int status = response.statusCode();
        assertThat(status).as("status for %s: %s", body, response.body()).isIn(202, 400, 403, 413);
        final JsonNode json = JSON.readTree(response.body());
        if (status == 202) {
            assertThat(json.get("accepted").asInt()).isEqualTo(json.get("positions").size()).isPositive();
            return status;
        }
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(json.get("message").asText()).doesNotContain("internal error");
        if (json.has("errors")) {
            for (final JsonNode item : json.get("errors")) {
                assertThat(item.get("index").isInt()).isTrue();
                assertThat(item.get("errors").size()).isPositive();
                item.get("errors").forEach(e -> assertThat(e.asText()).isNotBlank());
            }
        }
        return status;
    }

    @Test
    void mutatedAndRandomBodiesAreAnsweredWithoutA500() {
        final Map<Integer, Integer> statuses = new HashMap<>();
        Fuzz.run(8_000, 400, random -> {
            final boolean ndjson = random.nextBoolean();
            final String body = random.nextInt(5) == 0 ? Fuzz.mutate(random, body(random, ndjson)) : body(random, ndjson);
            try {
                statuses.merge(assertAnswered(ndjson ? "application/x-ndjson" : "application/json", body), 1, Integer::sum);
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Both accepted and refused bodies must occur, or the fuzzing only tested one path.
        assertThat(statuses).as("statuses").containsKeys(202, 400, 403);
    }

    @Test
    void deepNestingAndHugeValuesAreAnsweredWithoutA500() {
        Fuzz.run(9_000, 20, random -> {
            try {
                assertAnswered("application/json", "[" + Fuzz.deep(random, 1_000 + random.nextInt(20_000)) + "]");
                assertAnswered("application/x-ndjson", "{\"type\":\"sensor_reading\",\"data\":" + Fuzz.deep(random, 5_000) + "}");
                assertAnswered("application/json", "[{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\""
                        + "x".repeat(100_000 + random.nextInt(800_000)) + "\"}}]");
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
