package io.sitewire.fault;

import io.sitewire.events.Alert;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streams app crashes mid-flow (SIGKILL of its JVM: no commit, no transaction abort, no leaving the group) and is
 * restarted with the same application id and state folder: under exactly_once_v2 the alert log holds one alert per
 * alarm, none missing and none twice, and a dashboard gets exactly that log.
 */
@ExtendWith(FaultStack.class)
class StreamsCrashIT {

    private static final FaultLoad LOAD = FaultLoad.fromSystemProperties();

    @TempDir
    Path stateDir;
    private Site site;
    private SensorFlow flow;
    private StreamsProcess streams;
    private final WebSocketClient ws = new WebSocketClient();

    @BeforeEach
    void start(final FaultStack stack) throws Exception {
        site = new Site(stack, "crash");
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (flow != null) {
            flow.close();
        }
        if (streams != null) {
            streams.close();
        }
        ws.stop();
        site.close();
    }

    @Test
    void aKilledAndRestartedStreamsAppRaisesEveryAlertExactlyOnce() throws Exception {
        // Given the streams app in its own JVM, a gateway with a dashboard, and sensors producing
        final TopicSpec<Alert> alerts = site.catalogue.alerts().topic(Priority.EMERGENCY);
        streams = StreamsProcess.start(site, stateDir, "streams-crash-" + site.run + "-1");
        final GatewayMain.Running gateway = site.startGateway(Map.of());
        final StreamClient dashboard = StreamClient.connect(ws, gateway.server().streamUri(), site.token("dash"));
        dashboard.subscribeAndWait("s", site.projectRoom(), "\"from\":\"earliest\"");
        flow = new SensorFlow(site);
        flow.tick();
        Awaitility.await("the app is up").atMost(Site.WAIT).until(() -> dashboard.events().size() >= 1);
        flow.start(LOAD.tickMs());
        Awaitility.await("the app raises alerts").atMost(Site.WAIT)
                .until(() -> dashboard.events().size() >= LOAD.alarmsPerPhase());

        // When the app is killed while alarms keep coming
        streams.kill();
        final int atKill = flow.ackedAlarmCount();
        Awaitility.await("alarms produced while the app is down").atMost(Site.WAIT)
                .until(() -> flow.ackedAlarmCount() >= atKill + LOAD.alarmsPerPhase() / 2);
        // (the flow pauses while the app restarts, ~1 min under load, or its backlog would outgrow the test's waits)
        flow.stop();
        // And it is restarted with the same application id and state folder, and more alarms come
        streams = StreamsProcess.start(site, stateDir, "streams-crash-" + site.run + "-2");
        for (int i = 0; i < LOAD.alarmsPerPhase(); i++) {
            flow.tick();
        }
        site.flush();
        assertThat(flow.failed()).as("failed sends, e.g. %s", flow.failureSamples()).isEmpty();

        // Then the committed alert log has exactly one alert per alarm: none missing, none twice (twice the usual wait:
        // the restarted app first rejoins its groups and restores its state, over a minute on a loaded machine)
        Awaitility.await("one alert per alarm").atMost(Site.WAIT.multipliedBy(2)).untilAsserted(() ->
                assertThat(site.committedValues(alerts)).extracting(Alert::getAlertId)
                        .containsExactlyInAnyOrderElementsOf(flow.ackedAlarms()));
        assertThat(streams.alive()).as("the restarted app is still running").isTrue();
        // And the dashboard got exactly that log, in order
        final var log = site.committedRecords(alerts);
        Awaitility.await("every alert at the dashboard").atMost(Site.WAIT)
                .until(() -> Deliveries.positions(dashboard.events(), site.projectRoom()).size() >= log.size());
        Deliveries.assertExactlyTheLog(Deliveries.positions(dashboard.events(), site.projectRoom()),
                new StreamedTopics(site.catalogue), alerts, log);
        assertThat(dashboard.events()).extracting(e -> e.path("data").path("alertId").asText())
                .containsExactlyInAnyOrderElementsOf(flow.ackedAlarms());
        dashboard.close();
    }
}
