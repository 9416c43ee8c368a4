package io.sitewire.schemas;

import io.sitewire.events.Alert;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.RollCall;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The names under which records appear in JSON (the {@code type} of an ingested event and of a
 * WebSocket {@code event} frame), and whether devices may send them through the HTTP ingest.
 */
public enum EventType {
    WORKER_POSITION("worker_position", WorkerPosition.class, true),
    WORKER_PRESENCE("worker_presence", WorkerPresence.class, true),
    EQUIPMENT_STATUS("equipment_status", EquipmentStatus.class, true),
    SENSOR_READING("sensor_reading", SensorReading.class, true),
    WEARABLE_ALARM("wearable_alarm", WearableAlarm.class, true),
    MANUAL_BROADCAST("manual_broadcast", ManualBroadcast.class, true),
    ALERT("alert", Alert.class, false),
    WORKER_STATE("worker_state", WorkerState.class, false),
    ZONE_HEADCOUNT("zone_headcount", ZoneHeadcount.class, false),
    ROLL_CALL("roll_call", RollCall.class, false),
    DEAD_LETTER("dead_letter", DeadLetter.class, false);

    private final String jsonName;
    private final Class<? extends SpecificRecord> type;
    private final boolean ingestible;

    EventType(final String jsonName, final Class<? extends SpecificRecord> type, final boolean ingestible) {
        this.jsonName = jsonName;
        this.type = type;
        this.ingestible = ingestible;
    }

    public String jsonName() {
        return jsonName;
    }

    public Class<? extends SpecificRecord> type() {
        return type;
    }

    /** Whether an IoT gateway may post it to the HTTP ingest (derived state and alerts come only from Sitewire). */
    public boolean ingestible() {
        return ingestible;
    }

    public static Optional<EventType> byJsonName(final String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }

    public static EventType of(final SpecificRecord record) {
        return of(record.getClass());
    }

    public static EventType of(final Class<?> recordClass) {
        return Arrays.stream(values()).filter(t -> t.type.equals(recordClass)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Sitewire event class: " + recordClass.getName()));
    }
}
