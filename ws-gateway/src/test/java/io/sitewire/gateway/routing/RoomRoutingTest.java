package io.sitewire.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.EquipmentType;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomRoutingTest {

    private final StreamedTopics topics = new StreamedTopics(TopicCatalogue.LIVE);

    private static Alert.Builder alert(final AlertType type) {
        return Alert.newBuilder().setAlertId("a-1").setType(type).setPriority(Priority.EMERGENCY).setState(AlertState.RAISED)
                .setProjectId("p1").setRule("r").setSourceTime(1_700_000_000_000L).setRaisedAt(1_700_000_000_100L);
    }

    private List<String> rooms(final StreamedTopic topic, final org.apache.avro.specific.SpecificRecord record) {
        return RoomRouting.route(topic, record).orElseThrow().rooms().stream().map(Object::toString).toList();
    }

    @Test
    void anAlertGoesToEveryRoomItConcerns() {
        final Alert a = alert(AlertType.PROXIMITY).setWorkerId("w7").setEquipmentId("crane-2").setZone("north").build();
        assertThat(rooms(topics.get(0), a)).containsExactly("project:p1", "worker:w7:project:p1", "equipment:crane-2:project:p1",
                "safety-zone:north:project:p1", "management:project:p1");
        final Routed r = RoomRouting.route(topics.get(0), a).orElseThrow();
        assertThat(r.priority()).isEqualTo(Priority.EMERGENCY);
        assertThat(r.type()).isEqualTo(EventType.ALERT);
        assertThat(r.eventTime()).isEqualTo(1_700_000_000_100L);
    }

    @Test
    void aPersonalExposureAlertStaysOutOfTheProjectRoom() {
        final Alert dose = alert(AlertType.NOISE_DOSE).setPriority(Priority.HIGH).setWorkerId("w7").build();
        assertThat(rooms(topics.get(2), dose)).containsExactly("worker:w7:project:p1", "management:project:p1");
        final Alert fall = alert(AlertType.FALL).setWorkerId("w7").build();
        assertThat(rooms(topics.get(0), fall)).contains("project:p1");
    }

    @Test
    void idsThatAreNotRoomIdsAreNotRouted() {
        final Alert a = alert(AlertType.GAS_CEILING).setZone("north wing").build();
        assertThat(rooms(topics.get(0), a)).containsExactly("project:p1", "management:project:p1");
    }

    @Test
    void broadcastsGoByTargetScopeAndEvacuationsReachTheWholeProject() {
        final ManualBroadcast.Builder b = ManualBroadcast.newBuilder().setProjectId("p1").setBroadcastId("b1")
                .setPriority(Priority.URGENT).setMessage("m").setIssuedBy("sup").setEventTime(1L);
        assertThat(rooms(topics.get(6), b.setKind(BroadcastKind.WEATHER).setTargetScope(TargetScope.TRADE).setTarget("electrician").build()))
                .containsExactly("trade:electrician:project:p1", "management:project:p1");
        assertThat(rooms(topics.get(6), b.setKind(BroadcastKind.SCHEDULE).setTargetScope(TargetScope.ZONE).setTarget("north").build()))
                .containsExactly("safety-zone:north:project:p1", "management:project:p1");
        assertThat(rooms(topics.get(5), b.setKind(BroadcastKind.EVACUATION).setTargetScope(TargetScope.ZONE).setTarget("north").build()))
                .containsExactly("safety-zone:north:project:p1", "project:p1", "management:project:p1");
    }

    @Test
    void stateAndMapInputsGoToTheirRooms() {
        final WorkerPosition pos = WorkerPosition.newBuilder().setProjectId("p1").setWorkerId("w7").setLat(1).setLng(2)
                .setZone("north").setEventTime(5L).build();
        assertThat(rooms(topics.get(13), pos)).containsExactly("worker:w7:project:p1", "safety-zone:north:project:p1", "management:project:p1");
        final EquipmentStatus eq = EquipmentStatus.newBuilder().setProjectId("p1").setEquipmentId("crane-2").setType(EquipmentType.CRANE)
                .setStatus(EquipmentState.OPERATIONAL).setLat(1).setLng(2).setSafetyRadiusM(30).setEventTime(5L).build();
        assertThat(rooms(topics.get(14), eq)).containsExactly("equipment:crane-2:project:p1", "management:project:p1");
        final ZoneHeadcount hc = ZoneHeadcount.newBuilder().setProjectId("p1").setZone("*").setCount(3).setUpdatedAt(5L).build();
        assertThat(rooms(topics.get(11), hc)).containsExactly("management:project:p1");
        final RollCall.Builder rc = RollCall.newBuilder().setProjectId("p1").setEvacuationId("e1").setMusterZones(List.of("m"))
                .setAccounted(List.of()).setMissing(List.of("w7")).setStartedAt(1L).setUpdatedAt(2L);
        assertThat(rooms(topics.get(12), rc.setActive(true).build())).containsExactly("management:project:p1", "project:p1");
        assertThat(rooms(topics.get(12), rc.setActive(false).build())).containsExactly("management:project:p1");
        assertThat(RoomRouting.route(topics.get(12), rc.build()).orElseThrow().priority()).isEqualTo(Priority.URGENT);
    }

    @Test
    void theStreamedTopicListIsStable() {
        // Cursors name topics by index: this order must never change (append only).
        assertThat(topics.all()).extracting(StreamedTopic::name).containsExactly(
                "sitewire.alerts.emergency", "sitewire.alerts.urgent", "sitewire.alerts.high", "sitewire.alerts.normal",
                "sitewire.alerts.low", "sitewire.broadcasts.emergency", "sitewire.broadcasts.urgent", "sitewire.broadcasts.high",
                "sitewire.broadcasts.normal", "sitewire.broadcasts.low", "sitewire.state.workers", "sitewire.state.headcount",
                "sitewire.state.roll-call", "sitewire.worker-positions", "sitewire.equipment-status");
        assertThat(RoomRouting.route(topics.get(0), null)).isEmpty();
    }
}
