package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;

import io.sitewire.events.Alert;
import io.sitewire.events.Priority;
import io.sitewire.gateway.GatewayMain;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicSpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker dies (no controlled shutdown) while sensors produce with acks=all and dashboards receive: with RF 3 and
 * min.insync.replicas 2 nothing acknowledged is lost, the streams app raises every alert once, and each client's
 * frames are exactly the committed alert log: no gap, no duplicate, no reordering.
 */
@ExtendWith(FaultStack.class)
class BrokerCrashIT {

    private static final FaultLoad LOAD = FaultLoad.fromSystemProperties();

    @TempDir
    Path stateDir;
    private Site site;
    private SensorFlow flow;
    private final WebSocketClient ws = new WebSocketClient();

    @BeforeEach
    void start(final FaultStack stack) throws Exception {
        site = new Site(stack, "broker");
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (flow != null) {
            flow.close();
        }
        ws.stop();
        site.close();
        // Whatever happened, the next test gets all three brokers back.
        for (int id = 0; id < site.stack.kafka().brokerCount(); id++) {
            site.stack.kafka().startBroker(id);
        }
    }

    @Test
    void killingTheAlertLeaderLosesNoAcknowledgedEventAndClientsSeeNoGapDuplicateOrReordering() throws Exception {
        // Given the streams app, a gateway and two dashboards on the project room, and sensors producing
        site.startStreams(stateDir);
        final GatewayMain.Running gateway = site.startGateway(Map.of());
        final List<StreamClient> clients = List.of(
                StreamClient.connect(ws, gateway.server().streamUri(), site.token("dash-1")),
                StreamClient.connect(ws, gateway.server().streamUri(), site.token("dash-2")));
        for (final StreamClient client : clients) {
            client.subscribeAndWait("s", site.projectRoom(), "\"from\":\"earliest\"");
        }
        flow = new SensorFlow(site).start(LOAD.tickMs());
        final TopicSpec<Alert> alerts = site.catalogue.alerts().topic(Priority.EMERGENCY);
        Awaitility.await("first alerts at the clients").atMost(Site.WAIT)
                .until(() -> clients.stream().allMatch(c -> c.events().size() >= LOAD.alarmsPerPhase()));

        // When the broker that leads the project's emergency-alert partition is killed mid-flow
        final int partition = site.committedRecords(alerts).get(0).partition();
        final int leader = leaderOf(alerts.name(), partition);
        final int beforeKill = flow.ackedAlarmCount();
        site.stack.kafka().killBroker(leader);
        // And sensors keep producing on the two survivors, then the broker comes back while they still do
        Awaitility.await("alarms acknowledged by the survivors").atMost(Site.WAIT)
                .until(() -> flow.ackedAlarmCount() >= beforeKill + LOAD.alarmsPerPhase());
        assertThat(leaderOf(alerts.name(), partition)).as("a survivor leads now").isNotEqualTo(leader);
        site.stack.kafka().startBroker(leader);
        final int afterRestart = flow.ackedAlarmCount();
        Awaitility.await("alarms acknowledged after the restart").atMost(Site.WAIT)
                .until(() -> flow.ackedAlarmCount() >= afterRestart + LOAD.alarmsPerPhase());
        flow.stop();

        // Then every record sent was acknowledged, and every acknowledged one is in the log
        assertThat(flow.failed()).as("failed sends, e.g. %s", flow.failureSamples()).isEmpty();
        assertThat(flow.ackedAlarms()).isEqualTo(flow.sentAlarms());
        assertThat(site.committedValues(site.catalogue.wearableAlarms()).stream().map(SensorFlow::expectedAlertId)
                .collect(Collectors.toSet())).as("acknowledged alarms in the log").isEqualTo(flow.ackedAlarms());
        assertThat(site.committedValues(site.catalogue.sensorReadings()).stream().map(SensorFlow::readingId)
                .collect(Collectors.toSet())).as("acknowledged readings in the log").containsAll(flow.ackedReadings())
                .hasSize(flow.ackedReadings().size());
        // And the streams app raised exactly one alert per alarm
        Awaitility.await("one alert per alarm").atMost(Site.WAIT.multipliedBy(2)).untilAsserted(() ->
                assertThat(site.committedValues(alerts)).extracting(Alert::getAlertId)
                        .containsExactlyInAnyOrderElementsOf(flow.ackedAlarms()));
        // And each client received exactly the committed alert log, in partition order
        final List<ConsumerRecord<String, byte[]>> log = site.committedRecords(alerts);
        final StreamedTopics streamed = new StreamedTopics(site.catalogue);
        for (final StreamClient client : clients) {
            Awaitility.await("every alert at the client").atMost(Site.WAIT)
                    .until(() -> Deliveries.positions(client.events(), site.projectRoom()).size() >= log.size());
            final List<JsonNode> events = client.events();
            Deliveries.assertExactlyTheLog(Deliveries.positions(events, site.projectRoom()), streamed, alerts, log);
            assertThat(events.stream().map(e -> e.path("data").path("alertId").asText()).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(flow.ackedAlarms()));
        }
        clients.forEach(StreamClient::close);
    }

    private int leaderOf(final String topic, final int partition) throws Exception {
        final TopicPartitionInfo info = site.admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }
}
