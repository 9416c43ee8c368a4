package io.sitewire.schemas.replay;

import io.sitewire.events.Alert;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.schemas.topics.TopicSpec;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the replay filters look at in a record: its project, priority and zone. One place, so the CLI, the HTTP
 * endpoint and the docs agree on what "priority" means for a sensor reading (the priority of its topic).
 */
public final class RecordFacets {

    private RecordFacets() {
    }

    /** The {@code projectId} field; empty for records without one (dead letters). */
    public static Optional<String> projectOf(final SpecificRecord record) {
        return stringField(record, "projectId");
    }

    /**
     * The record's own {@code priority} field (alerts, broadcasts), else the fixed priority of the topic it was read
     * from (a wearable alarm is always EMERGENCY, a sensor reading LOW); empty for state and dead-letter topics.
     */
    public static Optional<Priority> priorityOf(final TopicSpec<?> topic, final SpecificRecord record) {
        if (record instanceof Alert alert) {
            return Optional.of(alert.getPriority());
        }
        if (record instanceof ManualBroadcast broadcast) {
            return Optional.of(broadcast.getPriority());
        }
        return topic.priority();
    }

    /**
     * The {@code zone} field where the record has one (readings, positions, presence, worker state, alerts,
     * headcounts), or the target of a broadcast addressed to one zone; empty otherwise.
     */
    public static Optional<String> zoneOf(final SpecificRecord record) {
        if (record instanceof ManualBroadcast broadcast) {
            return broadcast.getTargetScope() == TargetScope.ZONE ? Optional.ofNullable(broadcast.getTarget())
                    : Optional.empty();
        }
        return stringField(record, "zone");
    }

    private static Optional<String> stringField(final SpecificRecord record, final String name) {
        final Schema.Field field = record.getSchema().getField(name);
        if (field == null) {
            return Optional.empty();
        }
        final Object value = record.get(field.pos());
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }
}
