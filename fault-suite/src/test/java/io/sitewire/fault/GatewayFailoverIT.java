package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import io.sitewire.gateway.GatewayMain;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicSpec;

import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One of two gateway instances stops while alerts flow: its clients get 1001, reconnect to the other instance with
 * the cursor of the last frame they processed, and receive exactly the frames after it: none missed, none twice, in
 * order. Alerts are produced straight to the alert topics (the streams app is not what this tests); they alternate
 * EMERGENCY and URGENT, both in the URGENT send lane, where the protocol promises no repeat on resume (frames of
 * different lanes may overtake each other, and then a resume may repeat, never skip: docs/protocol.md).
 */
@ExtendWith(FaultStack.class)
class GatewayFailoverIT {

    private static final int CLIENTS = 4;
    private static final int ALERTS_PER_PHASE = 30;

    private Site site;
    private final WebSocketClient ws = new WebSocketClient();
    private final ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @BeforeEach
    void start(final FaultStack stack) throws Exception {
        site = new Site(stack, "failover");
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        producer.shutdownNow();
        ws.stop();
        site.close();
    }

    @Test
    void clientsOfAStoppedGatewayResumeOnTheOtherWithExactlyTheFramesAfterTheirCursor() throws Exception {
        // Given two gateways and clients on the first, subscribed from the beginning, while alerts flow
        final GatewayMain.Running first = site.startGateway(Map.of());
        final GatewayMain.Running second = site.startGateway(Map.of());
        final List<StreamClient> before = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            final StreamClient client = StreamClient.connect(ws, first.server().streamUri(), site.token("dash-" + i));
            client.subscribeAndWait("s", site.projectRoom(), "\"from\":\"earliest\"");
            before.add(client);
        }
        producer.scheduleAtFixedRate(this::sendAlert, 0, 20, TimeUnit.MILLISECONDS);
        Awaitility.await("alerts at the clients").atMost(Site.WAIT)
                .until(() -> before.stream().allMatch(c -> c.events().size() >= ALERTS_PER_PHASE));

        // When the first gateway stops mid-flow
        first.close();
        // Then its clients are told to go (1001) and resume on the second with their last cursor
        final List<StreamClient> after = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(before.get(i).awaitClose(Duration.ofSeconds(30))).isEqualTo(1001);
            final String cursor = before.get(i).lastCursor();
            final StreamClient resumed = StreamClient.connect(ws, second.server().streamUri(), site.token("dash-" + i));
            resumed.subscribeAndWait("r", site.projectRoom(), "\"resume\":\"" + cursor + "\"");
            after.add(resumed);
        }
        final int atResume = acked.get();
        Awaitility.await("more alerts after the resume").atMost(Site.WAIT)
                .until(() -> acked.get() >= atResume + ALERTS_PER_PHASE);
        producer.shutdown();
        assertThat(producer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        site.flush();
        assertThat(failed.get()).as("failed sends").isZero();

        // Then each client's frames, before and after the switch together, are exactly the committed alert log
        final StreamedTopics streamed = new StreamedTopics(site.catalogue);
        for (final Priority priority : List.of(Priority.EMERGENCY, Priority.URGENT)) {
            final TopicSpec<Alert> topic = site.catalogue.alerts().topic(priority);
            final var log = site.committedRecords(topic);
            for (int i = 0; i < CLIENTS; i++) {
                final StreamClient old = before.get(i);
                final StreamClient resumed = after.get(i);
                final int index = streamed.byName(topic.name()).orElseThrow().index();
                Awaitility.await("client " + i + " has every " + priority + " alert").atMost(Site.WAIT).until(() ->
                        combined(old, resumed).stream().filter(p -> p.topic() == index).count() >= log.size());
                Deliveries.assertExactlyTheLog(combined(old, resumed), streamed, topic, log);
            }
        }
        // And the second gateway did serve history: the frames produced while the clients were away
        assertThat(after).allSatisfy(c -> assertThat(c.awaitOp("replayed", "r").path("count").asInt()).isPositive());
    }

    private List<Deliveries.Pos> combined(final StreamClient old, final StreamClient resumed) {
        final List<JsonNode> events = new ArrayList<>(old.events());
        events.addAll(resumed.events());
        return Deliveries.positions(events, site.projectRoom());
    }

    private void sendAlert() {
        final long n = sequence.getAndIncrement();
        final boolean emergency = n % 2 == 0;
        final long now = System.currentTimeMillis();
        final Alert alert = Alert.newBuilder()
                .setAlertId((emergency ? "SOS:" : "FALL:") + site.project + ":w" + n + ":" + now)
                .setType(emergency ? AlertType.SOS : AlertType.FALL)
                .setPriority(emergency ? Priority.EMERGENCY : Priority.URGENT)
                .setState(AlertState.RAISED)
                .setProjectId(site.project)
                .setRule("fault-suite")
                .setMessage("alert " + n)
                .setSourceTime(now)
                .setRaisedAt(now)
                .build();
        site.send(alert, (metadata, e) -> {
            if (e == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        });
    }
}
