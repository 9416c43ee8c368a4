package io.sitewire.gateway.ingest;

import static io.sitewire.gateway.auth.Role.DEVICE;
import static io.sitewire.gateway.auth.Role.MANAGER;
import static io.sitewire.gateway.auth.Role.SAFETY_OFFICER;
import static io.sitewire.gateway.auth.Role.SUPERVISOR;
import static io.sitewire.gateway.auth.Role.WORKER;

import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.WearableAlarm;
import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.Role;
import io.sitewire.schemas.EventType;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * Who may post which event type to {@code POST /v1/events}. The event's project must always be one of the token's
 * projects. Then:
 * <pre>
 *   worker_position, equipment_status, sensor_reading   device
 *   worker_presence                                      device, supervisor, safety_officer, manager (gate check-in)
 *   wearable_alarm                                       device, supervisor, safety_officer, manager;
 *                                                        worker only for their own workerId (the app's SOS button)
 *   manual_broadcast                                     supervisor, safety_officer, manager, with issuedBy = sub;
 *                                                        never a device or a worker (an evacuation is a human decision)
 * </pre>
 * Telemetry is device-only so that no person's token can fake a gas reading or a crane's position. Everything else
 * (alerts, derived state, dead letters) is produced by Sitewire alone: {@link EventType#ingestible()}.
 */
final class IngestPolicy {

    private static final Map<EventType, Set<Role>> ALLOWED = new EnumMap<>(EventType.class);

    static {
        ALLOWED.put(EventType.WORKER_POSITION, EnumSet.of(DEVICE));
        ALLOWED.put(EventType.EQUIPMENT_STATUS, EnumSet.of(DEVICE));
        ALLOWED.put(EventType.SENSOR_READING, EnumSet.of(DEVICE));
        ALLOWED.put(EventType.WORKER_PRESENCE, EnumSet.of(DEVICE, SUPERVISOR, SAFETY_OFFICER, MANAGER));
        ALLOWED.put(EventType.WEARABLE_ALARM, EnumSet.of(DEVICE, SUPERVISOR, SAFETY_OFFICER, MANAGER, WORKER));
        ALLOWED.put(EventType.MANUAL_BROADCAST, EnumSet.of(SUPERVISOR, SAFETY_OFFICER, MANAGER));
        for (final EventType type : EventType.values()) {
            if (type.ingestible() != ALLOWED.containsKey(type)) {
                throw new IllegalStateException("IngestPolicy and EventType.ingestible() disagree on " + type.jsonName());
            }
        }
    }

    private IngestPolicy() {
    }

    /** The roles that may post this type (empty for types that cannot be posted at all). */
    static Set<Role> rolesFor(final EventType type) {
        return ALLOWED.getOrDefault(type, Set.of());
    }

    /** Whether the principal's roles allow the type at all; checked before the event is even parsed. */
    static Optional<String> whyNot(final Principal principal, final EventType type) {
        final Set<Role> allowed = rolesFor(type);
        if (principal.roles().stream().anyMatch(allowed::contains)) {
            return Optional.empty();
        }
        return Optional.of(type.jsonName() + " events may be posted by " + allowed.stream().map(Role::claim)
                .collect(Collectors.joining(", ")) + " tokens only");
    }

    /** Whether the principal may post this very event (its project, whose alarm, who signs a broadcast). */
    static Optional<String> whyNot(final Principal principal, final SpecificRecord record) {
        final String projectId = String.valueOf(record.get(record.getSchema().getField("projectId").pos()));
        if (!principal.isMemberOf(projectId)) {
            return Optional.of("not a member of project " + projectId);
        }
        if (record instanceof WearableAlarm alarm && !principal.hasAny(DEVICE, SUPERVISOR, SAFETY_OFFICER, MANAGER)
                && !principal.workerId().equals(alarm.getWorkerId())) {
            return Optional.of("a worker may raise a wearable_alarm for themselves only (workerId "
                    + principal.workerId() + ")");
        }
        if (record instanceof ManualBroadcast broadcast && !principal.subject().equals(broadcast.getIssuedBy())) {
            return Optional.of("issuedBy must be the token's subject (" + principal.subject() + ")");
        }
        return Optional.empty();
    }
}
