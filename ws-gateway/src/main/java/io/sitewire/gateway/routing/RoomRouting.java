package io.sitewire.gateway.routing;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.schemas.EventType;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * THE routing table: which rooms a streamed record is delivered to. Nothing else decides this.
 *
 * <pre>
 *   record            rooms
 *   alert             project:{p} (unless personal), worker:{w} if workerId, equipment:{e} if equipmentId,
 *                     safety-zone:{z} if zone, management:project:{p} always
 *   manual_broadcast  PROJECT scope: project:{p};  ZONE: safety-zone:{target};  TRADE: trade:{target}:project:{p};
 *                     EVACUATION and ALL_CLEAR of any scope also project:{p};  management:project:{p} always
 *   worker_state      worker:{w}, safety-zone:{z} if zone, management:project:{p}
 *   zone_headcount    management:project:{p}
 *   roll_call         management:project:{p}; project:{p} too while the evacuation is active
 *   worker_position   worker:{w}, safety-zone:{z} if zone, management:project:{p}
 *   equipment_status  equipment:{e}, management:project:{p}
 * </pre>
 * A personal alert is an exposure dose of one worker (GAS_TWA, DUST_TWA, NOISE_DOSE with a workerId):
 * health data for that worker and management, not the whole site. A fall, an SOS or a proximity alert is
 * never personal: everyone around must know. Ids that are not valid room ids are not routed to subject
 * rooms (the record still reaches management).
 */
public final class RoomRouting {

    private static final Set<AlertType> PERSONAL = EnumSet.of(AlertType.GAS_TWA, AlertType.DUST_TWA, AlertType.NOISE_DOSE);

    private RoomRouting() {
    }

    /** Where a record of a streamed topic goes; empty for records the gateway does not stream (e.g. tombstones). */
    public static Optional<Routed> route(final StreamedTopic topic, final SpecificRecord value) {
        if (value == null) {
            return Optional.empty();
        }
        final Set<Room> rooms = new LinkedHashSet<>();
        if (value instanceof Alert a) {
            final String p = a.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            final boolean personal = a.getWorkerId() != null && PERSONAL.contains(a.getType());
            if (!personal) {
                rooms.add(Room.project(p));
            }
            addIf(rooms, p, a.getWorkerId(), Room::worker);
            addIf(rooms, p, a.getEquipmentId(), Room::equipment);
            addIf(rooms, p, a.getZone(), Room::safetyZone);
            rooms.add(Room.management(p));
            return routed(rooms, a.getPriority(), EventType.ALERT, a.getRaisedAt());
        }
        if (value instanceof ManualBroadcast b) {
            final String p = b.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            switch (b.getTargetScope()) {
                case PROJECT -> rooms.add(Room.project(p));
                case ZONE -> addIf(rooms, p, b.getTarget(), Room::safetyZone);
                case TRADE -> addIf(rooms, p, b.getTarget(), Room::trade);
                default -> rooms.add(Room.project(p));
            }
            if (b.getKind() == BroadcastKind.EVACUATION || b.getKind() == BroadcastKind.ALL_CLEAR) {
                rooms.add(Room.project(p));
            }
            rooms.add(Room.management(p));
            return routed(rooms, b.getPriority(), EventType.MANUAL_BROADCAST, b.getEventTime());
        }
        if (value instanceof WorkerState s) {
            final String p = s.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            addIf(rooms, p, s.getWorkerId(), Room::worker);
            addIf(rooms, p, s.getZone(), Room::safetyZone);
            rooms.add(Room.management(p));
            return routed(rooms, topic.priority(), EventType.WORKER_STATE, s.getLastSeen());
        }
        if (value instanceof ZoneHeadcount h) {
            if (!Room.isValidId(h.getProjectId())) {
                return Optional.empty();
            }
            rooms.add(Room.management(h.getProjectId()));
            return routed(rooms, topic.priority(), EventType.ZONE_HEADCOUNT, h.getUpdatedAt());
        }
        if (value instanceof RollCall r) {
            final String p = r.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            rooms.add(Room.management(p));
            if (r.getActive()) {
                rooms.add(Room.project(p));
            }
            return routed(rooms, topic.priority(), EventType.ROLL_CALL, r.getUpdatedAt());
        }
        if (value instanceof WorkerPosition w) {
            final String p = w.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            addIf(rooms, p, w.getWorkerId(), Room::worker);
            addIf(rooms, p, w.getZone(), Room::safetyZone);
            rooms.add(Room.management(p));
            return routed(rooms, topic.priority(), EventType.WORKER_POSITION, w.getEventTime());
        }
        if (value instanceof EquipmentStatus e) {
            final String p = e.getProjectId();
            if (!Room.isValidId(p)) {
                return Optional.empty();
            }
            addIf(rooms, p, e.getEquipmentId(), Room::equipment);
            rooms.add(Room.management(p));
            return routed(rooms, topic.priority(), EventType.EQUIPMENT_STATUS, e.getEventTime());
        }
        return Optional.empty();
    }

    private static Optional<Routed> routed(final Set<Room> rooms, final Priority priority, final EventType type, final long eventTime) {
        return Optional.of(new Routed(java.util.List.copyOf(rooms), priority, type, eventTime));
    }

    private static void addIf(final Set<Room> rooms, final String projectId, final String id,
                              final java.util.function.BiFunction<String, String, Room> factory) {
        if (id != null && Room.isValidId(id)) {
            rooms.add(factory.apply(projectId, id));
        }
    }
}
