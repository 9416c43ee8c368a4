package io.sitewire.gateway.auth;

import static io.sitewire.gateway.auth.Role.MANAGER;
import static io.sitewire.gateway.auth.Role.SAFETY_OFFICER;
import static io.sitewire.gateway.auth.Role.SUPERVISOR;
import static io.sitewire.gateway.auth.Role.WORKER;

import io.sitewire.gateway.rooms.Room;
import java.util.Optional;

/**
 * Who may join which room. Membership of the room's project is always required; then, by kind:
 * <pre>
 *   project:{p}                 worker, supervisor, safety_officer, manager
 *   management:project:{p}      safety_officer, manager
 *   trade:{t}:project:{p}       workers whose trades include t; supervisor, safety_officer, manager
 *   equipment:{e}:project:{p}   worker, supervisor, safety_officer, manager (read-only safety information)
 *   safety-zone:{z}:project:{p} worker, supervisor, safety_officer, manager
 *   worker:{w}:project:{p}      the worker whose workerId is w; supervisor, safety_officer, manager
 * </pre>
 * The device role grants nothing here: a device-only token may join no room (the gateway closes it with 4003).
 * A token that has device and another role joins as that other role. Stateless and thread-safe.
 */
public final class RoomAuthorizer {

    public boolean mayJoin(final Principal principal, final Room room) {
        return whyNot(principal, room).isEmpty();
    }

    /** Empty if the principal may join the room, else the reason, fit for an error frame. */
    public Optional<String> whyNot(final Principal principal, final Room room) {
        if (principal.isDeviceOnly()) {
            return Optional.of("device tokens may only post events (POST /v1/events), not join rooms");
        }
        if (!principal.isMemberOf(room.projectId())) {
            return Optional.of("not a member of project " + room.projectId());
        }
        return switch (room.kind()) {
            case PROJECT -> principal.hasAny(WORKER, SUPERVISOR, SAFETY_OFFICER, MANAGER)
                    ? Optional.empty()
                    : Optional.of("project rooms are for workers, supervisors, safety officers and managers");
            case MANAGEMENT -> principal.hasAny(SAFETY_OFFICER, MANAGER)
                    ? Optional.empty()
                    : Optional.of("management rooms are for managers and safety officers");
            case TRADE -> principal.hasAny(SUPERVISOR, SAFETY_OFFICER, MANAGER)
                    || (principal.has(WORKER) && principal.trades().contains(room.subject()))
                    ? Optional.empty()
                    : Optional.of("trade:" + room.subject() + " rooms are for workers of trade " + room.subject()
                            + ", supervisors, safety officers and managers");
            case EQUIPMENT, SAFETY_ZONE -> principal.hasAny(WORKER, SUPERVISOR, SAFETY_OFFICER, MANAGER)
                    ? Optional.empty()
                    : Optional.of("equipment and safety-zone rooms are for workers, supervisors, safety officers "
                            + "and managers");
            case WORKER -> principal.hasAny(SUPERVISOR, SAFETY_OFFICER, MANAGER)
                    || (principal.has(WORKER) && principal.workerId().equals(room.subject()))
                    ? Optional.empty()
                    : Optional.of("worker:" + room.subject() + " rooms are for that worker, supervisors, safety "
                            + "officers and managers");
        };
    }
}
