package io.sitewire.schemas.replay;

import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Alert;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.AlarmKind;
import java.util.List;

/** Small builders of the records the replay tests filter. */
final class Records {

    private Records() {
    }

    static SensorReading reading(final String project, final String zone, final Metric metric, final double value,
            final long eventTime) {
        return SensorReading.newBuilder().setProjectId(project).setSensorId("s-" + zone).setZone(zone)
                .setMetric(metric).setValue(value).setWorkerId(null).setEventTime(eventTime).build();
    }

    static Alert alert(final String project, final Priority priority, final String zone, final long sourceTime) {
        return Alert.newBuilder().setAlertId(project + "/air.co/" + zone + "/" + sourceTime).setType(AlertType.GAS_CEILING)
                .setPriority(priority).setState(AlertState.RAISED).setProjectId(project).setZone(zone)
                .setWorkerId(null).setEquipmentId(null).setMetric("co_ppm").setValue(212.5).setLimit(200.0)
                .setRule("air.co.ceiling").setLimitSource("29 CFR 1926.55").setMessage("CO, \"ceiling\"\nexceeded")
                .setLat(null).setLng(null).setSourceTime(sourceTime).setRaisedAt(sourceTime + 5).build();
    }

    static ManualBroadcast broadcast(final String project, final Priority priority, final TargetScope scope,
            final String target) {
        return ManualBroadcast.newBuilder().setProjectId(project).setBroadcastId("b-1").setKind(BroadcastKind.WEATHER)
                .setPriority(priority).setTargetScope(scope).setTarget(target).setMessage("wind")
                .setIssuedBy("sup").setMusterZones(List.of("gate-B", "gate;C")).setEventTime(1_000L).build();
    }

    static WearableAlarm alarm(final String project, final long eventTime) {
        return WearableAlarm.newBuilder().setProjectId(project).setWorkerId("w-1").setDeviceId("d-1")
                .setKind(AlarmKind.FALL).setLat(null).setLng(null).setEventTime(eventTime).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setApp("sitewire-streams").setSourceTopic("sitewire.sensor-readings")
                .setSourcePartition(0).setSourceOffset(7L).setKey(null).setValue(null).setReason("bad")
                .setFailedAt(1_000L).build();
    }
}
