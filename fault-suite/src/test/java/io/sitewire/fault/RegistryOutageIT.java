package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;

import io.sitewire.events.Alert;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.TargetScope;
import io.sitewire.gateway.GatewayMain;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.RegistryUnavailableException;
import io.sitewire.streams.StreamsApp;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry is unreachable for a while (its process stopped, then started again on the same port and data): the
 * running site goes on with the schemas its processes have cached; what needs a schema nobody cached fails with a
 * named error, and works again once the registry is back. (`schemas`' RegistryOutageIT covers the serdes alone; this
 * is the apps: producer, streams app, gateway stream and ingest.)
 */
@ExtendWith(FaultStack.class)
class RegistryOutageIT {

    @TempDir
    Path stateDir;
    private Site site;
    private final WebSocketClient ws = new WebSocketClient();
    private final HttpClient http = HttpClient.newHttpClient();
    private boolean registryDown;

    @BeforeEach
    void start(final FaultStack stack) throws Exception {
        site = new Site(stack, "registry");
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        ws.stop();
        site.close();
        // Whatever happened, the next test gets the registry back.
        if (registryDown) {
            restartRegistry();
        }
    }

    @Test
    void cachedSchemasKeepTheSiteRunningAndUnknownOnesFailClearlyUntilTheRegistryIsBack() throws Exception {
        // Given a running site whose processes have cached what they use: alarms in, alerts out, frames to a dashboard
        final StreamsApp app = site.startStreams(stateDir);
        final GatewayMain.Running gateway = site.startGateway(Map.of());
        final StreamClient dashboard = StreamClient.connect(ws, gateway.server().streamUri(), site.token("dash"));
        dashboard.subscribeAndWait("s", site.projectRoom(), null);
        final SensorFlow flow = new SensorFlow(site);
        for (int i = 0; i < 5; i++) {
            flow.tick();
        }
        Awaitility.await("alerts before the outage").atMost(Site.WAIT).until(() -> dashboard.events().size() >= 5);
        site.awaitStreamsCaughtUp();

        // When the registry stops
        stopRegistry();

        // Then alarms still become alerts and reach the dashboard, from cached schemas only
        for (int i = 0; i < 10; i++) {
            flow.tick();
        }
        flow.stop();
        assertThat(flow.failed()).as("failed sends, e.g. %s", flow.failureSamples()).isEmpty();
        Awaitility.await("alerts during the outage").atMost(Site.WAIT).until(() -> dashboard.events().size() >= 15);
        assertThat(dashboard.events()).extracting(e -> e.path("data").path("alertId").asText())
                .containsExactlyInAnyOrderElementsOf(flow.ackedAlarms());
        // And a new producer, which has no schema cached, fails at once with a named error that says why
        final SensorReading reading = new SensorReading(site.project, "gas-9", "basement", Metric.co_ppm, 3.0, null,
                System.currentTimeMillis());
        try (KafkaProducer<String, SpecificRecord> fresh = freshProducer()) {
            final String subject = site.catalogue.sensorReadings().valueSubject();
            assertThatThrownBy(() -> fresh.send(record(reading)).get())
                    .satisfies(e -> assertThat(causeOfType(e, RegistryUnavailableException.class)).isNotNull()
                            .satisfies(c -> assertThat(c.getMessage()).contains("schema registry unavailable",
                                    "subject '" + subject + "'", site.stack.registry().ccompatUrl())));
        }
        // And the ingest, which has not encoded a sensor reading yet, answers 503 and writes nothing
        final HttpResponse<String> down = ingest(gateway, reading);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.body()).contains("schema registry unavailable; nothing was written");
        assertThat(down.headers().firstValue("Retry-After")).isPresent();

        // When the registry is back on the same port and data
        restartRegistry();

        // Then the new producer and the ingest work again
        try (KafkaProducer<String, SpecificRecord> fresh = freshProducer()) {
            assertThat(fresh.send(record(reading)).get().offset()).isNotNegative();
        }
        Awaitility.await("ingest accepts again").atMost(Site.WAIT).until(() -> ingest(gateway, reading).statusCode() == 202);
        // And a record type no process has seen before flows end to end: a broadcast becomes an alert and a frame
        final ManualBroadcast broadcast = broadcast("after-outage");
        site.send(broadcast).get();
        dashboard.await(broadcastFrame(broadcast));
        dashboard.await(alertFor(broadcast));
        // And the streams app went through it all without failing
        assertThat(app.failure()).isNull();
        assertThat(app.running()).isTrue();
        dashboard.close();
    }

    @Test
    void aRecordWhoseSchemaTheAppsHaveNotSeenIsDeliveredOnceTheRegistryIsBack() throws Exception {
        // Given a running site, and a producer that registered the broadcast schema (no app has seen a broadcast)
        site.startStreams(stateDir);
        final GatewayMain.Running gateway = site.startGateway(Map.of());
        final StreamClient dashboard = StreamClient.connect(ws, gateway.server().streamUri(), site.token("dash"));
        dashboard.subscribeAndWait("s", site.projectRoom(), null);
        final SensorFlow flow = new SensorFlow(site);
        flow.tick();
        Awaitility.await("an alert before the outage").atMost(Site.WAIT).until(() -> dashboard.events().size() >= 1);
        site.awaitStreamsCaughtUp();
        site.warmProducerCache(broadcast("warm-up"));

        // When the registry stops and the producer sends a broadcast from its cache
        stopRegistry();
        final ManualBroadcast broadcast = broadcast("during-outage");
        site.send(broadcast).get();
        // And alarms go on, so that the apps move past the broadcast's offset
        for (int i = 0; i < 5; i++) {
            flow.tick();
        }
        flow.stop();

        // When the registry is back
        restartRegistry();

        // Then nothing was skipped: the later alarms' alerts arrive (the emergency thread waited for the broadcast's
        // schema rather than drop it; an outage delays only what follows a record of a schema registered after the
        // apps started), the streams app raises the broadcast's alert and the dashboard gets the broadcast frame
        Awaitility.await("later alerts").atMost(Site.WAIT).until(() -> dashboard.events().size() >= 6);
        dashboard.await(alertFor(broadcast));
        dashboard.await(broadcastFrame(broadcast));
        final List<String> alertIds = new ArrayList<>();
        for (final Priority priority : Priority.values()) {
            site.committedValues(site.catalogue.alerts().topic(priority)).stream().map(Alert::getAlertId).forEach(alertIds::add);
        }
        assertThat(alertIds).filteredOn(id -> id.startsWith("BROADCAST:")).hasSize(1);
        assertThat(site.committedRecords(site.catalogue.deadLetter())).as("nothing dead-lettered").isEmpty();
        dashboard.close();
    }

    private void stopRegistry() {
        registryDown = true;
        site.stack.registry().stop();
    }

    /** Same port, same data folder: what a restarted registry pod with its storage is. */
    private void restartRegistry() {
        site.stack.registry().restart();
        registryDown = false;
    }

    private ManualBroadcast broadcast(final String id) {
        return new ManualBroadcast(site.project, id, BroadcastKind.WEATHER, Priority.HIGH, TargetScope.PROJECT, null,
                "Lightning within 10 km: stop crane work", "supervisor-1", List.of(), System.currentTimeMillis());
    }

    private static Predicate<JsonNode> broadcastFrame(final ManualBroadcast broadcast) {
        return f -> "event".equals(f.path("op").asText()) && "manual_broadcast".equals(f.path("type").asText())
                && broadcast.getBroadcastId().equals(f.path("data").path("broadcastId").asText());
    }

    private static Predicate<JsonNode> alertFor(final ManualBroadcast broadcast) {
        return f -> "event".equals(f.path("op").asText()) && "alert".equals(f.path("type").asText())
                && f.path("data").path("alertId").asText().startsWith("BROADCAST:" + broadcast.getProjectId() + ":"
                + broadcast.getBroadcastId() + ":");
    }

    private KafkaProducer<String, SpecificRecord> freshProducer() {
        return new KafkaProducer<>(site.producerProps(), new StringSerializer(),
                AvroSerdes.forGeneratedClasses(site.newRegistryClient(), false).serializer());
    }

    private ProducerRecord<String, SpecificRecord> record(final SpecificRecord event) {
        return new ProducerRecord<>(site.routing.topicFor(event).name(), site.routing.keyFor(event), event);
    }

    private HttpResponse<String> ingest(final GatewayMain.Running gateway, final SensorReading reading) throws Exception {
        final String device = TestTokens.hs256(Site.SECRET, "dev-1", List.of(site.project), List.of("device"), List.of(),
                Duration.ofHours(1));
        final String body = String.format(Locale.ROOT, "[{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\"%s\","
                        + "\"sensorId\":\"%s\",\"zone\":\"%s\",\"metric\":\"co_ppm\",\"value\":%s,\"workerId\":null,"
                        + "\"eventTime\":%d}}]", reading.getProjectId(), reading.getSensorId(), reading.getZone(),
                reading.getValue(), reading.getEventTime());
        final URI uri = gateway.server().uri().resolve("/v1/events");
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + device)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static <T extends Throwable> T causeOfType(final Throwable e, final Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
