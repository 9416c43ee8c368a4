package io.sitewire.schemas.topics;

import io.sitewire.events.Alert;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where a producer puts an event and under which key: the one place that maps a record to its topic,
 * so the HTTP ingest, the simulator and the streams app cannot disagree.
 */
public final class RecordRouting {

    private final TopicCatalogue catalogue;

    public RecordRouting(final TopicCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The topic an event is produced to: a fixed topic per input family, by priority for mixed families. */
    public TopicSpec<?> topicFor(final SpecificRecord record) {
        if (record instanceof WorkerPosition) {
            return catalogue.workerPositions();
        } else if (record instanceof WorkerPresence) {
            return catalogue.workerPresence();
        } else if (record instanceof EquipmentStatus) {
            return catalogue.equipmentStatus();
        } else if (record instanceof SensorReading) {
            return catalogue.sensorReadings();
        } else if (record instanceof WearableAlarm) {
            return catalogue.wearableAlarms();
        } else if (record instanceof ManualBroadcast b) {
            return catalogue.broadcasts().topic(b.getPriority());
        } else if (record instanceof Alert a) {
            return catalogue.alerts().topic(a.getPriority());
        }
        throw new IllegalArgumentException("no input topic for " + record.getClass().getSimpleName());
    }

    /** The key of an event on its input topic: its project, so a project's events keep their order. */
    public String keyFor(final SpecificRecord record) {
        final Object projectId = record.get(record.getSchema().getField("projectId").pos());
        return KeyLayout.join(projectId.toString());
    }
}
