package io.sitewire.gateway.state;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.schemas.json.AvroJson;
import io.sitewire.schemas.topics.KeyLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The site's current state per project, kept from the streams app's compacted topics (worker state, zone
 * headcount, roll-call, equipment state): what a dashboard needs on arrival before any event comes. Small
 * (one entry per worker, zone and machine). Records are kept in their JSON form, ready to send.
 */
public final class StateTable {

    private final Map<String, ProjectState> projects = new HashMap<>();

    /** Applies a record (or a tombstone, value null, identified by its key) of a state topic. */
    public synchronized void apply(final String key, final SpecificRecord value, final Class<?> valueType) {
        if (value == null) {
            remove(key, valueType);
            return;
        }
        if (value instanceof WorkerState s) {
            project(s.getProjectId()).workers.put(s.getWorkerId(), AvroJson.toJson(s));
        } else if (value instanceof ZoneHeadcount h) {
            project(h.getProjectId()).headcount.put(h.getZone(), AvroJson.toJson(h));
        } else if (value instanceof EquipmentStatus e) {
            project(e.getProjectId()).equipment.put(e.getEquipmentId(), AvroJson.toJson(e));
        } else if (value instanceof RollCall r) {
            project(r.getProjectId()).rollCall = AvroJson.toJson(r);
        }
    }

    private void remove(final String key, final Class<?> valueType) {
        if (key == null) {
            return;
        }
        final String[] parts = key.split(KeyLayout.SEPARATOR, 2);
        final ProjectState p = projects.get(parts[0]);
        if (p == null) {
            return;
        }
        if (valueType == RollCall.class) {
            p.rollCall = null;
        } else if (parts.length == 2) {
            if (valueType == WorkerState.class) {
                p.workers.remove(parts[1]);
            } else if (valueType == ZoneHeadcount.class) {
                p.headcount.remove(parts[1]);
            } else if (valueType == EquipmentStatus.class) {
                p.equipment.remove(parts[1]);
            }
        }
    }

    private ProjectState project(final String projectId) {
        return projects.computeIfAbsent(projectId, id -> new ProjectState());
    }

    /** Whether a room gets a snapshot on subscribe: project and management rooms. */
    public static boolean hasSnapshot(final Room room) {
        return room.kind() == Room.Kind.PROJECT || room.kind() == Room.Kind.MANAGEMENT;
    }

    /** The snapshot frame of a project or management room. */
    public synchronized String snapshotFrame(final Room room, final long asOf) {
        final ProjectState p = projects.getOrDefault(room.projectId(), new ProjectState());
        return Frames.write(g -> {
            g.writeStringField("op", Frames.OP_SNAPSHOT);
            g.writeStringField("room", room.name());
            g.writeNumberField("asOf", asOf);
            g.writeFieldName("workers");
            raw(g, p.workers);
            g.writeFieldName("headcount");
            raw(g, p.headcount);
            g.writeFieldName("equipment");
            raw(g, p.equipment);
            g.writeFieldName("rollCall");
            if (p.rollCall == null) {
                g.writeNull();
            } else {
                g.writeRawValue(p.rollCall);
            }
        });
    }

    private static void raw(final com.fasterxml.jackson.core.JsonGenerator g, final Map<String, String> entries) throws java.io.IOException {
        g.writeStartArray();
        for (final String json : entries.values()) {
            g.writeRawValue(json);
        }
        g.writeEndArray();
    }

    /** Workers with a state row, for metrics and tests. */
    public synchronized int workerCount(final String projectId) {
        final ProjectState p = projects.get(projectId);
        return p == null ? 0 : p.workers.size();
    }

    private static final class ProjectState {
        final Map<String, String> workers = new TreeMap<>();
        final Map<String, String> headcount = new TreeMap<>();
        final Map<String, String> equipment = new TreeMap<>();
        String rollCall;
    }
}
