package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.schemas.registry.AvroDeserializer;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryException;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler on a real Jetty server with Kafka's own MockProducer (to script acknowledgements and failures that a
 * real broker cannot be made to produce on cue) and the real in-memory schema registry. IngestHandlerIT covers the
 * same ground against a real broker and registry.
 */
class IngestHandlerTest {

    private static final String SECRET = "ingest-handler-test-secret-0123456789abcdef";
    private static final TopicCatalogue TOPICS = TopicCatalogue.LIVE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenVerifier verifier = TokenVerifier.fromConfig(AuthConfig.hs256(SECRET));
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final SchemaRegistryClient registry = new InMemorySchemaRegistry();
    private MockProducer<String, byte[]> producer;
    private IngestServer server;

    private IngestServer start(final boolean autoComplete, final IngestConfig config) throws Exception {
        return start(autoComplete, config, registry);
    }

    private IngestServer start(final boolean autoComplete, final IngestConfig config, final SchemaRegistryClient client)
            throws Exception {
        producer = new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        server = new IngestServer(new IngestHandler(verifier, producer, client, TOPICS, config, metrics));
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String token(final String subject, final String project, final String role) {
        return TestTokens.hs256(SECRET, subject, List.of(project), List.of(role), List.of(), Duration.ofMinutes(5));
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private SpecificRecord decode(final ProducerRecord<String, byte[]> record) {
        return new AvroDeserializer<SpecificRecord>(null, registry, false).deserialize(record.topic(), record.value());
    }

    @Test
    void aValidArrayIsProducedToEachTypesTopicUnderTheProjectKeyInOrder() throws Exception {
        // Given a device of project p-arr
        start(true, IngestConfig.defaults());
        final String body = Events.array(
                Events.sensorReading("p-arr", "gas-1", 12.5, Events.T0),
                Events.wearableAlarm("p-arr", "w-1", Events.T0 + 1),
                Events.workerPosition("p-arr", "w-1", Events.T0 + 2),
                Events.equipmentStatus("p-arr", "crane-1", Events.T0 + 3),
                Events.workerPresence("p-arr", "w-1", Events.T0 + 4));

        // When it posts five events as a JSON array
        final HttpResponse<String> response = server.post(token("dev-1", "p-arr", "device"), "application/json", body);

        // Then all are accepted, in order, each on its topic with the project as key and the poster in a header
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        final JsonNode answer = json(response);
        assertThat(answer.get("accepted").intValue()).isEqualTo(5);
        final List<String> topics = List.of(TOPICS.sensorReadings().name(), TOPICS.wearableAlarms().name(),
                TOPICS.workerPositions().name(), TOPICS.equipmentStatus().name(), TOPICS.workerPresence().name());
        for (int i = 0; i < 5; i++) {
            assertThat(answer.get("positions").get(i).get("topic").textValue()).isEqualTo(topics.get(i));
            assertThat(answer.get("positions").get(i).get("offset").longValue()).isZero();
        }
        final List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactlyElementsOf(topics);
        assertThat(sent).extracting(ProducerRecord::key).containsOnly("p-arr");
        assertThat(new String(sent.get(0).headers().lastHeader(IngestHandler.INGESTED_BY).value(), StandardCharsets.UTF_8))
                .isEqualTo("dev-1");
        final SensorReading reading = (SensorReading) decode(sent.get(0));
        assertThat(reading.getSensorId()).isEqualTo("gas-1");
        assertThat(reading.getValue()).isEqualTo(12.5);
        assertThat(reading.getEventTime()).isEqualTo(Events.T0);
        assertThat(((WearableAlarm) decode(sent.get(1))).getWorkerId()).isEqualTo("w-1");
        // And the metrics count the request and the events by type
        assertThat(metrics.get("sitewire.ingest.requests").tag("outcome", "accepted").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get("sitewire.ingest.events").tag("type", "sensor_reading").counter().count()).isEqualTo(1.0);
    }

    @Test
    void ndjsonIsAcceptedByContentTypeOrByItsFirstCharacter() throws Exception {
        start(true, IngestConfig.defaults());
        final String token = token("dev-2", "p-nd", "device");
        final String body = Events.ndjson(Events.sensorReading("p-nd", "s-1", 1.0, Events.T0),
                Events.sensorReading("p-nd", "s-1", 2.0, Events.T0 + 1000));

        assertThat(server.post(token, "application/x-ndjson", body).statusCode()).isEqualTo(202);
        assertThat(server.post(token, "application/json", body).statusCode()).isEqualTo(202);
        assertThat(server.post(token, null, "\r\n" + body.replace("\n", "\r\n")).statusCode()).isEqualTo(202);

        assertThat(producer.history()).hasSize(6);
        assertThat(((SensorReading) decode(producer.history().get(5))).getValue()).isEqualTo(2.0);
    }

    @Test
    void oneInvalidItemRejectsTheRequestAndNothingIsProduced() throws Exception {
        start(true, IngestConfig.defaults());
        // Given a good reading, an impossible one with an unknown field, and a good alarm
        final String body = Events.array(
                Events.sensorReading("p-bad", "s-1", 3.0, Events.T0),
                Events.item("sensor_reading", "{\"projectId\":\"p-bad\",\"sensorId\":\"s-2\",\"zone\":\"z\",\"metric\":\"o2_pct\","
                        + "\"value\":140.0,\"eventTime\":" + Events.T0 + ",\"colour\":\"red\"}"),
                Events.wearableAlarm("p-bad", "w-1", Events.T0));

        final HttpResponse<String> response = server.post(token("dev-3", "p-bad", "device"), "application/json", body);

        // Then 400 names item 1 with every problem, and nothing was sent
        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode errors = json(response).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("index").intValue()).isEqualTo(1);
        assertThat(errors.get(0).get("errors").toString()).contains("$.colour: unknown field");
        // a record with a JSON form error is not checked semantically: the form error comes alone
        assertThat(producer.history()).isEmpty();

        final HttpResponse<String> semantic = server.post(token("dev-3", "p-bad", "device"), "application/json",
                Events.array(Events.item("sensor_reading", "{\"projectId\":\"p-bad\",\"sensorId\":\"s-2\",\"zone\":\"z\","
                        + "\"metric\":\"o2_pct\",\"value\":140.0,\"eventTime\":" + Events.T0 + "}")));
        assertThat(semantic.statusCode()).isEqualTo(400);
        assertThat(json(semantic).get("errors").get(0).get("errors").get(0).textValue())
                .isEqualTo("value 140.0 is not possible for o2_pct");
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.get("sitewire.ingest.requests").tag("outcome", "invalid").counter().count()).isEqualTo(2.0);
    }

    @Test
    void typesThatCannotBePostedAreInvalid() throws Exception {
        start(true, IngestConfig.defaults());
        final String token = token("dev-4", "p-alert", "device");
        final HttpResponse<String> alert = server.post(token, "application/json", Events.array(Events.alert("p-alert", Events.T0)));
        assertThat(alert.statusCode()).isEqualTo(400);
        assertThat(json(alert).get("errors").get(0).get("errors").get(0).textValue())
                .startsWith("type alert cannot be posted: it is produced by Sitewire");

        final HttpResponse<String> unknown = server.post(token, "application/json", "[{\"type\":\"selfie\",\"data\":{}}, 7]");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("errors").get(0).get("errors").get(0).textValue()).startsWith("type must be one of");
        assertThat(json(unknown).get("errors").get(1).get("errors").get(0).textValue()).startsWith("an event must be an object");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void tokensAreRequiredAndMustBeValid() throws Exception {
        start(true, IngestConfig.defaults());
        final String body = Events.array(Events.sensorReading("p-tok", "s-1", 1.0, Events.T0));

        final HttpResponse<String> none = server.post(null, "application/json", body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"sitewire\"");
        assertThat(json(none).get("error").textValue()).isEqualTo("unauthorized");

        final String expired = TestTokens.hs256(SECRET, "dev-5", List.of("p-tok"), List.of("device"), List.of(), Duration.ofMinutes(-5));
        final HttpResponse<String> old = server.post(expired, "application/json", body);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(json(old).get("message").textValue()).isEqualTo("token expired");

        final String forged = TestTokens.hs256("another-secret-another-secret-another-secret", "dev-5", List.of("p-tok"),
                List.of("device"), List.of(), Duration.ofMinutes(5));
        assertThat(server.post(forged, "application/json", body).statusCode()).isEqualTo(401);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void eventsOfAnotherProjectAreForbiddenWithTheirIndex() throws Exception {
        start(true, IngestConfig.defaults());
        final String body = Events.array(Events.sensorReading("p-mine", "s-1", 1.0, Events.T0),
                Events.sensorReading("p-theirs", "s-1", 1.0, Events.T0));

        final HttpResponse<String> response = server.post(token("dev-6", "p-mine", "device"), "application/json", body);

        assertThat(response.statusCode()).isEqualTo(403);
        final JsonNode errors = json(response).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("index").intValue()).isEqualTo(1);
        assertThat(errors.get(0).get("errors").get(0).textValue()).isEqualTo("not a member of project p-theirs");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void workersMayNotBroadcastButSupervisorsMay() throws Exception {
        start(true, IngestConfig.defaults());
        final HttpResponse<String> worker = server.post(token("w-7", "p-bc", "worker"), "application/json",
                Events.array(Events.manualBroadcast("p-bc", "w-7", "URGENT", Events.T0)));
        assertThat(worker.statusCode()).isEqualTo(403);
        assertThat(json(worker).get("errors").get(0).get("errors").get(0).textValue())
                .startsWith("manual_broadcast events may be posted by supervisor");

        final HttpResponse<String> device = server.post(token("dev-7", "p-bc", "device"), "application/json",
                Events.array(Events.manualBroadcast("p-bc", "dev-7", "URGENT", Events.T0)));
        assertThat(device.statusCode()).isEqualTo(403);
        assertThat(producer.history()).isEmpty();

        final HttpResponse<String> supervisor = server.post(token("sup-1", "p-bc", "supervisor"), "application/json",
                Events.array(Events.manualBroadcast("p-bc", "sup-1", "URGENT", Events.T0)));
        assertThat(supervisor.statusCode()).as(supervisor.body()).isEqualTo(202);
        assertThat(producer.history()).singleElement().extracting(ProducerRecord::topic)
                .isEqualTo(TOPICS.broadcasts().topic(Priority.URGENT).name());
        assertThat(((ManualBroadcast) decode(producer.history().get(0))).getIssuedBy()).isEqualTo("sup-1");
    }

    @Test
    void otherMethodsAre405AndOtherPathsAreNotHandled() throws Exception {
        start(true, IngestConfig.defaults());
        final HttpResponse<String> get = server.send(server.events(), "GET", null, null, HttpRequest.BodyPublishers.noBody()).get();
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        final URI other = server.events().resolve("/v1/other");
        assertThat(server.send(other, "POST", token("d", "p", "device"), "application/json",
                HttpRequest.BodyPublishers.ofString("[]")).get().statusCode()).isEqualTo(404);
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        start(true, IngestConfig.defaults());
        final String token = token("dev-8", "p-ct", "device");
        final String body = Events.array(Events.sensorReading("p-ct", "s-1", 1.0, Events.T0));
        assertThat(server.post(token, "text/plain", body).statusCode()).isEqualTo(415);
        assertThat(server.post(token, "application/json; charset=ISO-8859-1", body).statusCode()).isEqualTo(415);
        assertThat(server.post(token, "application/json; charset=utf-8", body).statusCode()).isEqualTo(202);
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrStreamed() throws Exception {
        start(true, new IngestConfig(4096, 3));
        final String token = token("dev-9", "p-big", "device");
        final String big = Events.array(Events.sensorReading("p-big", "s-1", 1.0, Events.T0), "\"" + "x".repeat(5000) + "\"");

        // Declared length over the limit
        final HttpResponse<String> declared = server.post(token, "application/json", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("error").textValue()).isEqualTo("too_large");

        // Streamed without a length (chunked): cut off once past the limit
        final HttpResponse<String> streamed = server.postAsync(token, "application/json", HttpRequest.BodyPublishers
                .ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).get();
        assertThat(streamed.statusCode()).isEqualTo(413);

        // Too many events
        final String four = Events.ndjson(Events.sensorReading("p-big", "s", 1, Events.T0), Events.sensorReading("p-big", "s", 1, Events.T0),
                Events.sensorReading("p-big", "s", 1, Events.T0), Events.sensorReading("p-big", "s", 1, Events.T0));
        final HttpResponse<String> many = server.post(token, NDJSON_TYPE, four);
        assertThat(many.statusCode()).isEqualTo(413);
        assertThat(json(many).get("message").textValue()).startsWith("more than 3 events in one request");
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.get("sitewire.ingest.requests").tag("outcome", "too_large").counter().count()).isEqualTo(3.0);
    }

    private static final String NDJSON_TYPE = "application/x-ndjson";

    @Test
    void aPartialKafkaFailureSaysWhichItemsWereWritten() throws Exception {
        // Given a producer whose acknowledgements the test gives by hand
        start(false, IngestConfig.defaults());
        final String body = Events.array(Events.sensorReading("p-kf", "s-1", 1.0, Events.T0),
                Events.sensorReading("p-kf", "s-1", 2.0, Events.T0 + 1), Events.sensorReading("p-kf", "s-1", 3.0, Events.T0 + 2));
        final CompletableFuture<HttpResponse<String>> pending = server.postAsync(token("dev-10", "p-kf", "device"),
                "application/json", HttpRequest.BodyPublishers.ofString(body));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);

        // When the first is acknowledged, the second is refused and the third times out in the producer
        producer.completeNext();
        producer.errorNext(new NotEnoughReplicasException("test: only one replica in sync"));
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("test: delivery.timeout.ms expired"));

        // Then 503 says 0 was written (where), 1 was not, and 2 may have been
        final HttpResponse<String> response = pending.get();
        assertThat(response.statusCode()).isEqualTo(503);
        final JsonNode answer = json(response);
        assertThat(answer.get("written").findValuesAsText("index")).containsExactly("0");
        assertThat(answer.get("written").get(0).get("topic").textValue()).isEqualTo(TOPICS.sensorReadings().name());
        assertThat(answer.get("failed").toString()).isEqualTo("[1]");
        assertThat(answer.get("unknown").toString()).isEqualTo("[2]");
        assertThat(answer.get("message").textValue()).contains("NotEnoughReplicasException")
                .contains("1 written, 1 not written, 1 unknown");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void noAcknowledgementWithinTheTimeoutIs503WithUnknownItems() throws Exception {
        start(false, new IngestConfig(1 << 20, 1000, Duration.ofMillis(300), 4));
        final String body = Events.array(Events.sensorReading("p-to", "s-1", 1.0, Events.T0),
                Events.sensorReading("p-to", "s-1", 2.0, Events.T0 + 1));

        final HttpResponse<String> response = server.post(token("dev-11", "p-to", "device"), "application/json", body);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("unknown").toString()).isEqualTo("[0,1]");
        assertThat(json(response).get("message").textValue()).contains("did not acknowledge every event within PT0.3S");
    }

    @Test
    void aSendThatThrowsIsA503AndLaterItemsAreNotSent() throws Exception {
        start(true, IngestConfig.defaults());
        producer.sendException = new org.apache.kafka.common.errors.TimeoutException("test: metadata not available");
        final String body = Events.array(Events.sensorReading("p-st", "s-1", 1.0, Events.T0),
                Events.sensorReading("p-st", "s-1", 2.0, Events.T0 + 1));

        final HttpResponse<String> response = server.post(token("dev-12", "p-st", "device"), "application/json", body);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("failed").toString()).isEqualTo("[0,1]");
        assertThat(json(response).get("written")).isEmpty();
    }

    @Test
    void anUnreachableRegistryIs503AndNothingIsSent() throws Exception {
        // Given a registry that cannot be reached (a stand-in: this is a unit test; the IT stops the real one)
        final SchemaRegistryClient down = new UnreachableRegistry();
        start(true, IngestConfig.defaults(), down);

        final HttpResponse<String> response = server.post(token("dev-13", "p-reg", "device"), "application/json",
                Events.array(Events.sensorReading("p-reg", "s-1", 1.0, Events.T0)));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("message").textValue()).isEqualTo("schema registry unavailable; nothing was written");
        assertThat(producer.history()).isEmpty();
        assertThat(metrics.get("sitewire.ingest.requests").tag("outcome", "registry_unavailable").counter().count()).isEqualTo(1.0);
    }

    @Test
    void requestsBeyondTheConcurrencyLimitAreTurnedAwayAtOnce() throws Exception {
        // Given one request waiting for Kafka and a limit of one
        start(false, new IngestConfig(1 << 20, 1000, Duration.ofSeconds(20), 1));
        final String token = token("dev-14", "p-busy", "device");
        final String body = Events.array(Events.sensorReading("p-busy", "s-1", 1.0, Events.T0));
        final CompletableFuture<HttpResponse<String>> first = server.postAsync(token, "application/json",
                HttpRequest.BodyPublishers.ofString(body));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);

        // When a second comes
        final HttpResponse<String> second = server.post(token, "application/json", body);

        // Then it is turned away with Retry-After, and the first completes once acknowledged
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(json(second).get("error").textValue()).isEqualTo("busy");
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        producer.completeNext();
        assertThat(first.get().statusCode()).isEqualTo(202);
        // And the permit is given back: a third request is taken in
        final CompletableFuture<HttpResponse<String>> third = server.postAsync(token, "application/json",
                HttpRequest.BodyPublishers.ofString(body));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
        producer.completeNext();
        assertThat(third.get().statusCode()).isEqualTo(202);
    }

    /** A registry that is down: every call fails as HttpSchemaRegistryClient fails after its retries. */
    private static final class UnreachableRegistry implements SchemaRegistryClient {

        private static SchemaRegistryException down(final String operation, final String subject) {
            return SchemaRegistryException.unreachable("http://127.0.0.1:1/apis/ccompat/v7", operation, subject, 1,
                    Duration.ZERO, 0, new java.net.ConnectException("Connection refused"));
        }

        @Override
        public int register(final String subject, final Schema schema) {
            throw down("register schema", subject);
        }

        @Override
        public int idOf(final String subject, final Schema schema) {
            throw down("look up schema", subject);
        }

        @Override
        public Schema byId(final int id) {
            throw down("get schema id " + id, null);
        }

        @Override
        public List<Integer> versions(final String subject) {
            throw down("list versions", subject);
        }

        @Override
        public boolean isCompatible(final String subject, final Schema schema) {
            throw down("check compatibility", subject);
        }

        @Override
        public void setCompatibility(final String subject, final String level) {
            throw down("set compatibility", subject);
        }

        @Override
        public String url() {
            return "http://127.0.0.1:1/apis/ccompat/v7";
        }
    }
}
