package io.sitewire.schemas.registry;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.EquipmentType;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.SensorReading;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerState;
import io.sitewire.events.WorkerStatus;
import io.sitewire.events.ZoneHeadcount;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Realistic events of every generated class: for each, one with every optional field set (arrays filled,
 * non-ASCII text) and one with the optional fields null or empty.
 */
final class SampleEvents {

    static final long T0 = 1_764_100_800_000L; // 2025-11-25T20:00:00Z

    private SampleEvents() {
    }

    /** Every sample, two per class. */
    static List<SpecificRecord> all() {
        return List.of(
                alert(), alertMinimal(),
                deadLetter(), deadLetterWithoutKey(),
                equipmentStatus(), equipmentStatusIdle(),
                manualBroadcast(), manualBroadcastToProject(),
                rollCall(), rollCallAllAccounted(),
                sensorReading(), sensorReadingFixed(),
                wearableAlarm(), wearableAlarmWithoutFix(),
                workerPosition(), workerPositionWithoutZone(),
                workerPresence(), workerPresenceCheckOut(),
                workerState(), workerStateOffsite(),
                zoneHeadcount(), projectHeadcount());
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("tower-7/gas.co.ceiling/L3-east/1764100800000")
                .setType(AlertType.GAS_CEILING)
                .setPriority(Priority.EMERGENCY)
                .setState(AlertState.RAISED)
                .setProjectId("tower-7")
                .setZone("L3-east")
                .setWorkerId("w-0412")
                .setEquipmentId(null)
                .setMetric("co_ppm")
                .setValue(212.5)
                .setLimit(200.0)
                .setRule("gas.co.ceiling")
                .setLimitSource("29 CFR 1926.55")
                .setMessage("CO 212.5 ppm above the 200 ppm ceiling — évacuez le niveau 3")
                .setLat(40.712_776)
                .setLng(-74.005_974)
                .setSourceTime(T0)
                .setRaisedAt(T0 + 35)
                .build();
    }

    static Alert alertMinimal() {
        return Alert.newBuilder()
                .setAlertId("tower-7/roll-call/evac-3")
                .setType(AlertType.ROLL_CALL)
                .setPriority(Priority.URGENT)
                .setState(AlertState.CLEARED)
                .setProjectId("tower-7")
                .setRule("evacuation.roll-call")
                .setSourceTime(T0)
                .setRaisedAt(T0 + 1)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setApp("sitewire-streams")
                .setSourceTopic("sitewire.sensor-readings")
                .setSourcePartition(3)
                .setSourceOffset(1_234_567L)
                .setKey(ByteBuffer.wrap("tower-7/gas-17".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0x7B, 0x22, 0x00, (byte) 0xFF, 0x7D}))
                .setReason("Cannot decode value at topic 'sitewire.sensor-readings' partition 3 offset 1234567: "
                        + "first byte is 0x7B ('{')")
                .setFailedAt(T0 + 10)
                .build();
    }

    static DeadLetter deadLetterWithoutKey() {
        return DeadLetter.newBuilder()
                .setApp("sitewire-gateway")
                .setSourceTopic("sitewire.worker-positions")
                .setSourcePartition(0)
                .setSourceOffset(0L)
                .setReason("validation: latitude 91.2 out of range")
                .setFailedAt(T0)
                .build();
    }

    static EquipmentStatus equipmentStatus() {
        return EquipmentStatus.newBuilder()
                .setProjectId("tower-7")
                .setEquipmentId("crane-2")
                .setType(EquipmentType.CRANE)
                .setStatus(EquipmentState.OPERATIONAL)
                .setMoving(true)
                .setOperatorId("w-0007")
                .setLat(40.712_901)
                .setLng(-74.006_120)
                .setSafetyRadiusM(45.0)
                .setEventTime(T0)
                .build();
    }

    static EquipmentStatus equipmentStatusIdle() {
        return EquipmentStatus.newBuilder()
                .setProjectId("tower-7")
                .setEquipmentId("exc-1")
                .setType(EquipmentType.EXCAVATOR)
                .setStatus(EquipmentState.IDLE)
                .setLat(40.7131)
                .setLng(-74.0057)
                .setSafetyRadiusM(8.5)
                .setEventTime(T0 + 1000)
                .build();
    }

    static ManualBroadcast manualBroadcast() {
        return ManualBroadcast.newBuilder()
                .setProjectId("tower-7")
                .setBroadcastId("b-20251125-0001")
                .setKind(BroadcastKind.EVACUATION)
                .setPriority(Priority.EMERGENCY)
                .setTargetScope(TargetScope.ZONE)
                .setTarget("L3-east")
                .setMessage("Evacuate level 3 east now. Muster at gate B.")
                .setIssuedBy("sup-maria")
                .setMusterZones(List.of("gate-B", "parking-north"))
                .setEventTime(T0)
                .build();
    }

    static ManualBroadcast manualBroadcastToProject() {
        return ManualBroadcast.newBuilder()
                .setProjectId("tower-7")
                .setBroadcastId("b-20251125-0002")
                .setKind(BroadcastKind.WEATHER)
                .setPriority(Priority.NORMAL)
                .setTargetScope(TargetScope.PROJECT)
                .setMessage("Wind gusts 60 km/h from 14:00: crane work suspended")
                .setIssuedBy("sup-maria")
                .setEventTime(T0 + 60_000)
                .build();
    }

    static RollCall rollCall() {
        return RollCall.newBuilder()
                .setProjectId("tower-7")
                .setEvacuationId("evac-3")
                .setActive(true)
                .setMusterZones(List.of("gate-B"))
                .setAccounted(List.of("w-0007", "w-0412"))
                .setMissing(List.of("w-0099"))
                .setStartedAt(T0)
                .setUpdatedAt(T0 + 90_000)
                .build();
    }

    static RollCall rollCallAllAccounted() {
        return RollCall.newBuilder()
                .setProjectId("tower-7")
                .setEvacuationId("evac-3")
                .setActive(false)
                .setMusterZones(List.of())
                .setAccounted(List.of())
                .setMissing(List.of())
                .setStartedAt(T0)
                .setUpdatedAt(T0 + 300_000)
                .build();
    }

    static SensorReading sensorReading() {
        return SensorReading.newBuilder()
                .setProjectId("tower-7")
                .setSensorId("pgm-0412")
                .setZone("L3-east")
                .setMetric(Metric.co_ppm)
                .setValue(212.5)
                .setWorkerId("w-0412")
                .setEventTime(T0)
                .build();
    }

    static SensorReading sensorReadingFixed() {
        return SensorReading.newBuilder()
                .setProjectId("tower-7")
                .setSensorId("dust-17")
                .setZone("B1")
                .setMetric(Metric.silica_ugm3)
                .setValue(27.0)
                .setEventTime(T0 + 5_000)
                .build();
    }

    static WearableAlarm wearableAlarm() {
        return WearableAlarm.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0099")
                .setDeviceId("hh-0099")
                .setKind(AlarmKind.FALL)
                .setLat(40.712_5)
                .setLng(-74.005_9)
                .setEventTime(T0)
                .build();
    }

    static WearableAlarm wearableAlarmWithoutFix() {
        return WearableAlarm.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0100")
                .setDeviceId("radio-0100")
                .setKind(AlarmKind.SOS)
                .setEventTime(T0 + 2)
                .build();
    }

    static WorkerPosition workerPosition() {
        return WorkerPosition.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0412")
                .setLat(40.712_80)
                .setLng(-74.006_01)
                .setAccuracyM(3.2)
                .setZone("L3-east")
                .setEventTime(T0)
                .build();
    }

    static WorkerPosition workerPositionWithoutZone() {
        return WorkerPosition.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0413")
                .setLat(-33.868_8)
                .setLng(151.209_3)
                .setEventTime(T0 + 3)
                .build();
    }

    static WorkerPresence workerPresence() {
        return WorkerPresence.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0412")
                .setAction(PresenceAction.CHECK_IN)
                .setStatus(WorkerStatus.ACTIVE)
                .setZone("L3-east")
                .setTrade("electrician")
                .setDeviceIds(List.of("hh-0412", "pgm-0412"))
                .setEventTime(T0)
                .build();
    }

    static WorkerPresence workerPresenceCheckOut() {
        return WorkerPresence.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0412")
                .setAction(PresenceAction.CHECK_OUT)
                .setStatus(WorkerStatus.OFFSITE)
                .setEventTime(T0 + 28_800_000)
                .build();
    }

    static WorkerState workerState() {
        return WorkerState.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0412")
                .setCheckedIn(true)
                .setStatus(WorkerStatus.EMERGENCY)
                .setZone("L3-east")
                .setTrade("electrician")
                .setLat(40.712_80)
                .setLng(-74.006_01)
                .setLastSeen(T0)
                .build();
    }

    static WorkerState workerStateOffsite() {
        return WorkerState.newBuilder()
                .setProjectId("tower-7")
                .setWorkerId("w-0413")
                .setCheckedIn(false)
                .setStatus(WorkerStatus.OFFSITE)
                .setLastSeen(T0 - 86_400_000)
                .build();
    }

    static ZoneHeadcount zoneHeadcount() {
        return ZoneHeadcount.newBuilder().setProjectId("tower-7").setZone("L3-east").setCount(14).setUpdatedAt(T0)
                .build();
    }

    static ZoneHeadcount projectHeadcount() {
        return ZoneHeadcount.newBuilder().setProjectId("tower-7").setZone("*").setCount(0).setUpdatedAt(T0 + 1)
                .build();
    }
}
