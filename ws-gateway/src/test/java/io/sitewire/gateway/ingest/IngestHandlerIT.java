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
import io.sitewire.events.WorkerPosition;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroDeserializer;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/events on a real Jetty server, producing to a real KRaft broker through a real Apicurio registry, read
 * back with a real consumer. Topics have a prefix of their own, so other ITs in the JVM do not disturb the counts.
 */
@Tag("integration")
@SitewireStack
class IngestHandlerIT {

    private static final String SECRET = "ingest-it-secret-0123456789abcdef0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("it-ingest-" + suffix());
    private static final TokenVerifier VERIFIER = TokenVerifier.fromConfig(AuthConfig.hs256(SECRET));

    private static String bootstrapServers;
    private static Admin admin;
    private static SchemaRegistryClient registry;
    private static KafkaProducer<String, byte[]> producer;
    private static IngestServer server;

    @BeforeAll
    static void start(final LocalStack stack) throws Exception {
        bootstrapServers = stack.bootstrapServers();
        admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60)).provision(inputTopics(TOPICS));
        registry = SchemaRegistryClients.newClient(Map.of(SchemaRegistryClients.URL, stack.registryUrl()));
        producer = producer(stack.bootstrapServers(), IngestConfig.defaults());
        server = new IngestServer(new IngestHandler(VERIFIER, producer, registry, TOPICS, IngestConfig.defaults(),
                new SimpleMeterRegistry()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void aValidArrayAndNdjsonAreReadableFromTheirTopicsUnderTheProjectKey() throws Exception {
        // Given a device and a supervisor of a project of this test
        final String project = "p-" + suffix();
        final String device = token("dev-" + project, project, "device");
        final String supervisor = token("sup-" + project, project, "supervisor");

        // When the device posts a JSON array and NDJSON, and the supervisor an evacuation
        final HttpResponse<String> array = server.post(device, "application/json", Events.array(
                Events.sensorReading(project, "gas-1", 41.0, Events.T0),
                Events.wearableAlarm(project, "w-1", Events.T0 + 1)));
        final HttpResponse<String> ndjson = server.post(device, "application/x-ndjson", Events.ndjson(
                Events.workerPosition(project, "w-1", Events.T0 + 2),
                Events.sensorReading(project, "gas-1", 42.0, Events.T0 + 3)));
        final HttpResponse<String> broadcast = server.post(supervisor, "application/json", Events.array(
                Events.item("manual_broadcast", "{\"projectId\":\"" + project + "\",\"broadcastId\":\"evac-1\","
                        + "\"kind\":\"EVACUATION\",\"priority\":\"EMERGENCY\",\"targetScope\":\"PROJECT\","
                        + "\"message\":\"Gas leak: leave by the north gate\",\"issuedBy\":\"sup-" + project + "\","
                        + "\"musterZones\":[\"north-gate\"],\"eventTime\":" + (Events.T0 + 4) + "}")));

        // Then all are accepted and each position holds the event, on its priority's topic, keyed by project
        assertThat(array.statusCode()).as(array.body()).isEqualTo(202);
        assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(202);
        assertThat(broadcast.statusCode()).as(broadcast.body()).isEqualTo(202);

        final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        for (final HttpResponse<String> response : List.of(array, ndjson, broadcast)) {
            for (final JsonNode position : JSON.readTree(response.body()).get("positions")) {
                read.add(readAt(position));
            }
        }
        assertThat(read).extracting(ConsumerRecord::topic).containsExactly(
                TOPICS.sensorReadings().name(), TOPICS.wearableAlarms().name(), TOPICS.workerPositions().name(),
                TOPICS.sensorReadings().name(), TOPICS.broadcasts().topic(Priority.EMERGENCY).name());
        assertThat(read).extracting(ConsumerRecord::key).containsOnly(project);
        assertThat(((SensorReading) decode(read.get(0))).getValue()).isEqualTo(41.0);
        assertThat(((WearableAlarm) decode(read.get(1))).getEventTime()).isEqualTo(Events.T0 + 1);
        assertThat(((WorkerPosition) decode(read.get(2))).getWorkerId()).isEqualTo("w-1");
        assertThat(((SensorReading) decode(read.get(3))).getValue()).isEqualTo(42.0);
        assertThat(((ManualBroadcast) decode(read.get(4))).getMusterZones()).containsExactly("north-gate");
        // the two readings of one project share a partition, in posting order
        assertThat(read.get(3).partition()).isEqualTo(read.get(0).partition());
        assertThat(read.get(3).offset()).isGreaterThan(read.get(0).offset());
    }

    @Test
    void oneBadItemIs400WithItsErrorsAndNothingIsProduced() throws Exception {
        final String project = "p-" + suffix();
        final Map<TopicPartition, Long> before = endOffsets();

        final HttpResponse<String> response = server.post(token("dev-" + project, project, "device"), "application/json",
                Events.array(Events.sensorReading(project, "gas-1", 1.0, Events.T0),
                        Events.sensorReading(project, "gas-1", -3.0, Events.T0 + 1),
                        Events.wearableAlarm(project, "w-1", Events.T0 + 2)));

        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("index").intValue()).isEqualTo(1);
        assertThat(errors.get(0).get("errors").get(0).textValue()).isEqualTo("value -3.0 is not possible for co_ppm");
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void anAlertCannotBePosted() throws Exception {
        final String project = "p-" + suffix();
        final Map<TopicPartition, Long> before = endOffsets();
        final HttpResponse<String> response = server.post(token("dev-" + project, project, "device"), "application/json",
                Events.array(Events.alert(project, Events.T0)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("type alert cannot be posted");
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void anOversizeBodyIs413() throws Exception {
        final String project = "p-" + suffix();
        final StringBuilder big = new StringBuilder("[");
        for (int i = 0; big.length() <= IngestConfig.DEFAULT_MAX_BODY_BYTES; i++) {
            big.append(i == 0 ? "" : ",").append(Events.sensorReading(project, "gas-1", 1.0, Events.T0 + i));
        }
        final HttpResponse<String> response = server.post(token("dev-" + project, project, "device"), "application/json",
                big.append(']').toString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void noTokenWrongProjectAndAWorkersBroadcastAreRefused() throws Exception {
        final String project = "p-" + suffix();
        final Map<TopicPartition, Long> before = endOffsets();
        final String reading = Events.array(Events.sensorReading(project, "gas-1", 1.0, Events.T0));

        assertThat(server.post(null, "application/json", reading).statusCode()).isEqualTo(401);
        final HttpResponse<String> otherProject = server.post(token("dev-x", "p-other-" + suffix(), "device"),
                "application/json", reading);
        assertThat(otherProject.statusCode()).isEqualTo(403);
        assertThat(otherProject.body()).contains("not a member of project " + project);
        final HttpResponse<String> workerBroadcast = server.post(token("w-9", project, "worker"), "application/json",
                Events.array(Events.manualBroadcast(project, "w-9", "URGENT", Events.T0)));
        assertThat(workerBroadcast.statusCode()).isEqualTo(403);
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void whenTheBrokerIsDownTheAnswerIs503AndSaysTheItemsAreUnknown() throws Exception {
        // Given a cluster of its own (stopping the shared broker would disturb the other ITs) with a handler on it
        final TopicCatalogue topics = TopicCatalogue.withPrefix("it-ingest-down-" + suffix());
        final IngestConfig config = new IngestConfig(1 << 20, 1000, Duration.ofSeconds(4), 8);
        try (EmbeddedKafka kafka = EmbeddedKafka.startCluster(1, 1);
             Admin ownAdmin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             KafkaProducer<String, byte[]> ownProducer = producer(kafka.bootstrapServers(), config);
             IngestServer own = new IngestServer(new IngestHandler(VERIFIER, ownProducer, registry, topics, config,
                     new SimpleMeterRegistry()))) {
            new TopicProvisioner(ownAdmin, (short) 1, Duration.ofSeconds(60)).provision(inputTopics(topics));
            final String project = "p-" + suffix();
            final String device = token("dev-" + project, project, "device");
            assertThat(own.post(device, "application/json", Events.array(Events.sensorReading(project, "s", 1.0, Events.T0)))
                    .statusCode()).isEqualTo(202);

            // When the broker stops and two events are posted
            kafka.stopBroker(0);
            final HttpResponse<String> down = own.post(device, "application/json", Events.array(
                    Events.sensorReading(project, "s", 2.0, Events.T0 + 1), Events.wearableAlarm(project, "w-1", Events.T0 + 2)));

            // Then 503 says neither is known to be written (the producer gave up waiting: they may have been)
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            final JsonNode answer = JSON.readTree(down.body());
            assertThat(answer.get("written")).isEmpty();
            assertThat(answer.get("unknown").toString()).isEqualTo("[0,1]");

            // And once the broker is back, posting works again
            kafka.startBroker(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> own.post(device, "application/json",
                    Events.array(Events.sensorReading(project, "s", 3.0, Events.T0 + 3))).statusCode() == 202);
        }
    }

    private static List<TopicSpec<?>> inputTopics(final TopicCatalogue topics) {
        final List<TopicSpec<?>> specs = new ArrayList<>(List.of(topics.workerPositions(), topics.workerPresence(),
                topics.equipmentStatus(), topics.sensorReadings(), topics.wearableAlarms()));
        specs.addAll(topics.broadcasts().topicsByUrgency());
        return specs;
    }

    private static KafkaProducer<String, byte[]> producer(final String bootstrap, final IngestConfig config) {
        final Map<String, Object> settings = new HashMap<>(config.producerSettings());
        settings.put("bootstrap.servers", bootstrap);
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    private static String token(final String subject, final String project, final String role) {
        return TestTokens.hs256(SECRET, subject, List.of(project), List.of(role), List.of(), Duration.ofMinutes(10));
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (final TopicSpec<?> spec : inputTopics(TOPICS)) {
            for (int p = 0; p < spec.partitions(); p++) {
                latest.put(new TopicPartition(spec.name(), p), OffsetSpec.latest());
            }
        }
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private static ConsumerRecord<String, byte[]> readAt(final JsonNode position) {
        final TopicPartition partition = new TopicPartition(position.get("topic").textValue(), position.get("partition").intValue());
        final long offset = position.get("offset").longValue();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers, "enable.auto.commit", "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            final List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).records(partition).stream()
                        .filter(r -> r.offset() == offset).forEach(found::add);
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static SpecificRecord decode(final ConsumerRecord<String, byte[]> record) {
        return new AvroDeserializer<SpecificRecord>(null, registry, false).deserialize(record.topic(), record.value());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
