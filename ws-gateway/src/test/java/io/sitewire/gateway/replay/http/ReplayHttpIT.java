package io.sitewire.gateway.replay.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.RoomAuthorizer;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.fanout.RegistryDecoder;
import io.sitewire.gateway.it.GatewayFixture;
import io.sitewire.gateway.ws.PrincipalAccess;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.topics.RecordRouting;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /v1/replay on a real gateway (Jetty), reading a real KRaft broker through a real Apicurio registry, with the
 * real token verifier. Records are produced with explicit Kafka timestamps under a topic prefix of this class.
 */
@SitewireStack
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayHttpIT {

    private static final String SECRET = "replay-http-it-secret-0123456789abcdef0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_795_593_600_000L; // 2026-11-25T08:00:00Z
    private static final int READINGS = 10;
    /** Enough NDJSON (about 10 MB) to fill the socket buffers of a client that does not read. */
    private static final int BULK = 40_000;

    private final String project = "pr" + UUID.randomUUID().toString().substring(0, 8);
    private final String other = "po" + UUID.randomUUID().toString().substring(0, 8);
    private final String bulk = "pb" + UUID.randomUUID().toString().substring(0, 8);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fx;
    private GatewayServer gw;
    private final List<RecordMetadata> projectReadings = new ArrayList<>();

    @BeforeAll
    void start(final LocalStack stack) throws Exception {
        fx = new GatewayFixture(stack.bootstrapServers(), stack.registryUrl());
        final TokenVerifier verifier = TokenVerifier.fromConfig(AuthConfig.hs256(SECRET));
        final Map<String, Object> consumer = Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.bootstrapServers);
        final ReplayHttpHandler handler = new ReplayHttpHandler(verifier, fx.registry, fx.catalogue, consumer,
                new ReplayLimits(1, ReplayLimits.DEFAULT_MAX_LIMIT, Duration.ofSeconds(20)), meters);
        gw = GatewayServer.start(fx.config(Map.of()), new PrincipalAccess(verifier, new RoomAuthorizer()),
                new RegistryDecoder(fx.registry), null, handler, GatewayServer.newRegistry());
        // Given readings of two projects, one a second from T0, zones alternating north/south, and one alert
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.forGeneratedClasses(fx.registry, false).serializer())) {
            final RecordRouting routing = new RecordRouting(fx.catalogue);
            final List<Future<RecordMetadata>> mine = new ArrayList<>();
            for (int i = 0; i < READINGS; i++) {
                final long t = T0 + i * 1000L;
                mine.add(send(producer, routing, reading(project, i % 2 == 0 ? "north" : "south", i, t), t));
                send(producer, routing, reading(other, "north", i, t), t);
            }
            send(producer, routing, alert(project, T0 + 3000), T0 + 3000);
            for (int i = 0; i < BULK; i++) {
                send(producer, routing, reading(bulk, "bulk", i, T0), T0);
            }
            producer.flush();
            for (final Future<RecordMetadata> f : mine) {
                projectReadings.add(f.get());
            }
        }
    }

    @AfterAll
    void stop() {
        gw.close();
        fx.close();
    }

    private static Future<RecordMetadata> send(final KafkaProducer<String, SpecificRecord> producer, final RecordRouting routing,
            final SpecificRecord record, final long timestamp) {
        return producer.send(new ProducerRecord<>(routing.topicFor(record).name(), null, timestamp, routing.keyFor(record), record));
    }

    private static SensorReading reading(final String projectId, final String zone, final int n, final long t) {
        return SensorReading.newBuilder().setProjectId(projectId).setSensorId("gas-" + n).setZone(zone)
                .setMetric(Metric.co_ppm).setValue(10 + n).setWorkerId(null).setEventTime(t).build();
    }

    private static Alert alert(final String projectId, final long t) {
        return Alert.newBuilder().setAlertId(projectId + "-a1").setType(AlertType.GAS_CEILING).setPriority(Priority.URGENT)
                .setState(AlertState.RAISED).setProjectId(projectId).setZone("north").setRule("gas.co.ceiling")
                .setLimitSource("NIOSH REL 200 ppm ceiling").setMetric("co_ppm").setValue(250.0).setLimit(200.0)
                .setMessage("CO 250 ppm in north").setSourceTime(t).setRaisedAt(t + 100).build();
    }

    private String token(final List<String> projects, final String role) {
        return TestTokens.hs256(SECRET, "u-" + role, projects, List.of(role), List.of(), Duration.ofHours(1));
    }

    private HttpResponse<String> get(final String query, final String token) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.uri() + ReplayHttpHandler.PATH + "?" + query))
                .timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> lines(final HttpResponse<String> response) throws Exception {
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : response.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String family() {
        return fx.catalogue.sensorReadings().family();
    }

    @Test
    void aTimeRangeReturnsTheProjectsRecordsInsideItThenASummary() throws Exception {
        // When a manager of the project asks for [T0+2s, T0+7s) of sensor readings and alerts
        final String query = "topics=" + family() + "," + fx.catalogue.alerts().family() + "&from=" + enc("2026-11-25T08:00:02Z")
                + "&to=" + (T0 + 7000) + "&project=" + project;
        final HttpResponse<String> response = get(query, token(List.of(project), "manager"));
        // Then 200 NDJSON: readings 2..6 of that project only, the alert, then one complete summary line
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
        final List<JsonNode> lines = lines(response);
        final JsonNode summary = lines.get(lines.size() - 1).get("summary");
        final List<JsonNode> records = lines.subList(0, lines.size() - 1);
        assertThat(records).allSatisfy(r -> assertThat(r.at("/data/projectId").asText()).isEqualTo(project));
        assertThat(records.stream().filter(r -> r.get("type").asText().equals("sensor_reading"))
                .map(r -> r.get("timestamp").asLong()).sorted().toList())
                .containsExactly(T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000, T0 + 6000);
        assertThat(records.stream().filter(r -> r.get("type").asText().equals("alert")).map(r -> r.at("/data/alertId").asText()))
                .containsExactly(project + "-a1");
        assertThat(summary.get("complete").asBoolean()).isTrue();
        assertThat(summary.get("matched").asLong()).isEqualTo(6);
        assertThat(summary.get("read").asLong()).isEqualTo(summary.get("matched").asLong() + summary.get("filteredOut").asLong()
                + summary.get("tombstones").asLong() + summary.get("failedDecodes").asLong());
    }

    @Test
    void aZoneFilterKeepsOnlyThatZone() throws Exception {
        // When the whole log of readings is asked for, zone south only
        final HttpResponse<String> response = get("topics=" + family() + "&project=" + project + "&zone=south",
                token(List.of(project), "safety_officer"));
        // Then the odd readings (zone south) come, in offset order (one partition per project)
        assertThat(response.statusCode()).isEqualTo(200);
        final List<JsonNode> lines = lines(response);
        final List<JsonNode> records = lines.subList(0, lines.size() - 1);
        assertThat(records).extracting(r -> r.at("/data/sensorId").asText())
                .containsExactly("gas-1", "gas-3", "gas-5", "gas-7", "gas-9");
        assertThat(lines.get(lines.size() - 1).at("/summary/complete").asBoolean()).isTrue();
    }

    @Test
    void offsetRangesAreInclusive() throws Exception {
        // Given the offsets of the project's readings 3..5
        final RecordMetadata first = projectReadings.get(3);
        final RecordMetadata last = projectReadings.get(5);
        // When they are asked for by offsets
        final HttpResponse<String> response = get("offsets=" + family() + ":" + first.partition() + ":" + first.offset() + "-"
                + last.offset() + "&project=" + project, token(List.of(project), "manager"));
        // Then exactly those records, with their positions (not always consecutive offsets: the other project's
        // readings share the partition when both names hash to it, and the project filter leaves them out)
        assertThat(response.statusCode()).isEqualTo(200);
        final List<JsonNode> lines = lines(response);
        final List<JsonNode> records = lines.subList(0, lines.size() - 1);
        assertThat(records).extracting(r -> r.get("offset").asLong())
                .containsExactly(first.offset(), projectReadings.get(4).offset(), last.offset());
        assertThat(records).extracting(r -> r.at("/data/sensorId").asText()).containsExactly("gas-3", "gas-4", "gas-5");
        assertThat(records).allSatisfy(r -> assertThat(r.get("partition").asInt()).isEqualTo(first.partition()));
    }

    @Test
    void aLimitStopsTheReadAndSaysSo() throws Exception {
        final HttpResponse<String> response = get("topics=" + family() + "&project=" + project + "&limit=3",
                token(List.of(project), "manager"));
        final List<JsonNode> lines = lines(response);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3).at("/summary/limitReached").asBoolean()).isTrue();
        assertThat(lines.get(3).at("/summary/complete").asBoolean()).isTrue();
    }

    @Test
    void aBadQueryIs400WithEveryProblemNamingItsParameter() throws Exception {
        final HttpResponse<String> response = get("topics=nonsense&from=yesterday&limit=-1&colour=red&project=" + project,
                token(List.of(project), "manager"));
        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_query");
        final List<String> problems = new ArrayList<>();
        body.get("problems").forEach(p -> problems.add(p.asText()));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("colour: unknown parameter"))
                .anySatisfy(p -> assertThat(p).startsWith("from: 'yesterday'"))
                .anySatisfy(p -> assertThat(p).startsWith("limit:"));
    }

    @Test
    void anUnknownTopicIs400FromThePlan() throws Exception {
        final HttpResponse<String> response = get("topics=nonsense&project=" + project, token(List.of(project), "manager"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("problems").get(0).asText()).startsWith("topics: unknown topic 'nonsense'");
    }

    @Test
    void aLimitAboveTheMaximumIs400() throws Exception {
        final HttpResponse<String> response = get("topics=" + family() + "&project=" + project + "&limit="
                + (ReplayLimits.DEFAULT_MAX_LIMIT + 1), token(List.of(project), "manager"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("limit: at most " + ReplayLimits.DEFAULT_MAX_LIMIT);
    }

    @Test
    void anotherProjectIsForbidden() throws Exception {
        final HttpResponse<String> response = get("topics=" + family() + "&project=" + project + "," + other,
                token(List.of(project), "manager"));
        assertThat(response.statusCode()).isEqualTo(403);
        final JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("message").asText()).isEqualTo("not a member of project " + other);
    }

    @Test
    void aQueryWithoutAProjectIsForbidden() throws Exception {
        final HttpResponse<String> response = get("topics=" + family(), token(List.of(project), "manager"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("project=");
    }

    @Test
    void rolesThatMayNotReadHistoryAreForbidden() throws Exception {
        for (final String role : List.of("worker", "supervisor", "device")) {
            final HttpResponse<String> response = get("topics=" + family() + "&project=" + project, token(List.of(project), role));
            assertThat(response.statusCode()).as(role).isEqualTo(403);
        }
    }

    @Test
    void noTokenOrABadOneIs401() throws Exception {
        final HttpResponse<String> none = get("topics=" + family() + "&project=" + project, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(JSON.readTree(none.body()).get("error").asText()).isEqualTo("unauthorized");
        final String forged = TestTokens.hs256("another-secret-that-is-at-least-32-bytes!", "m", List.of(project),
                List.of("manager"), List.of(), Duration.ofHours(1));
        assertThat(get("topics=" + family() + "&project=" + project, forged).statusCode()).isEqualTo(401);
        final String expired = TestTokens.hs256(SECRET, "m", List.of(project), List.of("manager"), List.of(), Duration.ofMinutes(-5));
        assertThat(get("topics=" + family() + "&project=" + project, expired).statusCode()).isEqualTo(401);
    }

    @Test
    void aSecondReplayOverTheBoundIs429AndAClientThatLeavesFreesItsSlot() throws Exception {
        // Given a client that asks for ~10 MB of readings and then reads nothing, holding the only replay slot
        final Counter gone = meters.counter("sitewire.replay.http.requests", "outcome", "client_gone");
        final double goneBefore = gone.count();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", gw.port()));
            final OutputStream out = slow.getOutputStream();
            out.write(("GET " + ReplayHttpHandler.PATH + "?topics=" + family() + "&project=" + bulk + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token(List.of(bulk), "manager") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = slow.getInputStream();
            final byte[] status = in.readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            // When another replay is asked for
            final HttpResponse<String> second = get("topics=" + family() + "&project=" + project, token(List.of(project), "manager"));
            // Then it is refused with 429 and Retry-After
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("retry-after")).isPresent();
            assertThat(JSON.readTree(second.body()).get("error").asText()).isEqualTo("busy");
        }
        // When the slow client went away, its read stops and the slot is free again
        await().atMost(Duration.ofSeconds(60)).until(() -> gone.count() > goneBefore);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get("topics=" + family() + "&project=" + project + "&limit=1", token(List.of(project), "manager")).statusCode() == 200);
    }
}
