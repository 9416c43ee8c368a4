package io.sitewire.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {

    private final TopicCatalogue live = TopicCatalogue.LIVE;

    @Test
    void everyTopicHasAUniqueNameUnderThePrefix() {
        final List<TopicSpec<?>> all = live.all();
        final Set<String> names = new HashSet<>();
        all.forEach(t -> assertThat(names.add(t.name())).as("duplicate %s", t.name()).isTrue());
        assertThat(all).allSatisfy(t -> assertThat(t.name()).startsWith("sitewire."));
        assertThat(all).hasSize(5 + 5 + 5 + 4 + 1);
    }

    @Test
    void mixedPriorityFamiliesHaveOneTopicPerPriorityInUrgencyOrder() {
        assertThat(live.alerts().topicsByUrgency()).extracting(t -> t.priority().orElseThrow())
                .containsExactly(Priority.EMERGENCY, Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW);
        assertThat(live.alerts().topic(Priority.EMERGENCY).name()).isEqualTo("sitewire.alerts.emergency");
        assertThat(live.broadcasts().priorityOf("sitewire.broadcasts.low")).contains(Priority.LOW);
        assertThat(live.broadcasts().priorityOf("sitewire.alerts.low")).isEmpty();
    }

    @Test
    void emergencyAlertsAreKeptLongestAndStateIsCompacted() {
        final long emergency = retention(live.alerts().topic(Priority.EMERGENCY));
        for (final Priority p : Priority.values()) {
            assertThat(retention(live.alerts().topic(p))).isLessThanOrEqualTo(emergency);
        }
        assertThat(List.of(live.workerState(), live.equipmentState(), live.headcount(), live.rollCall()))
                .allSatisfy(t -> assertThat(t.compacted()).isTrue());
        assertThat(live.sensorReadings().compacted()).isFalse();
    }

    @Test
    void minInsyncReplicasNeverExceedsTheReplicationFactor() {
        final TopicSpec<Alert> topic = live.alerts().topic(Priority.EMERGENCY);
        assertThat(topic.effectiveConfigs((short) 1)).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
        assertThat(topic.effectiveConfigs((short) 3)).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
    }

    @Test
    void aReprocessingPrefixSharesNoTopicWithTheLiveSet() {
        final TopicCatalogue whatIf = TopicCatalogue.withPrefix("whatif-7");
        final Set<String> liveNames = new HashSet<>();
        live.all().forEach(t -> liveNames.add(t.name()));
        assertThat(whatIf.all()).noneMatch(t -> liveNames.contains(t.name()));
        assertThatThrownBy(() -> TopicCatalogue.withPrefix("Bad Prefix")).hasMessageContaining("prefix");
    }

    @Test
    void routingSendsABroadcastToItsPriorityTopicKeyedByProject() {
        final ManualBroadcast evacuation = ManualBroadcast.newBuilder().setProjectId("p1").setBroadcastId("b1")
                .setKind(BroadcastKind.EVACUATION).setPriority(Priority.EMERGENCY).setTargetScope(TargetScope.PROJECT)
                .setMessage("Evacuate").setIssuedBy("sup-1").setMusterZones(List.of("gate-a")).setEventTime(1_000L).build();
        final RecordRouting routing = new RecordRouting(live);
        assertThat(routing.topicFor(evacuation).name()).isEqualTo("sitewire.broadcasts.emergency");
        assertThat(routing.keyFor(evacuation)).isEqualTo("p1");
        final Alert alert = Alert.newBuilder().setAlertId("a").setType(AlertType.FALL).setPriority(Priority.URGENT)
                .setState(AlertState.RAISED).setProjectId("p2").setRule("r").setSourceTime(1L).setRaisedAt(2L).build();
        assertThat(routing.topicFor(alert)).isEqualTo(live.alerts().topic(Priority.URGENT));
    }

    @Test
    void keyPartsMayNotContainTheSeparator() {
        assertThat(KeyLayout.join("p1", "w7")).isEqualTo("p1/w7");
        assertThatThrownBy(() -> KeyLayout.join("p/1", "w7")).isInstanceOf(IllegalArgumentException.class);
    }

    private static long retention(final TopicSpec<?> topic) {
        final Map<String, String> configs = topic.configs();
        return Long.parseLong(configs.get(TopicConfig.RETENTION_MS_CONFIG));
    }
}
