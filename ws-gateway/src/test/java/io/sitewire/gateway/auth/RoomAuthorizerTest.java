package io.sitewire.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.gateway.rooms.Room;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomAuthorizerTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-25T11:00:00Z");
    private static final RoomAuthorizer AUTHORIZER = new RoomAuthorizer();

    /** Every principal is a member of p1 only, an electrician, worker id w-1. */
    private static Principal as(final Role... roles) {
        return new Principal("sub-" + roles[0].claim(), Set.of("p1"), EnumSet.of(roles[0], roles), Set.of("electrician"),
                "w-1", EXPIRES);
    }

    /** The expected answers, written out rather than computed: columns worker, supervisor, safety_officer, manager, device. */
    private static final Map<Room, String> MATRIX = new LinkedHashMap<>();

    static {
        MATRIX.put(Room.project("p1"), "YYYYN");
        MATRIX.put(Room.management("p1"), "NNYYN");
        MATRIX.put(Room.trade("p1", "electrician"), "YYYYN");
        MATRIX.put(Room.trade("p1", "plumber"), "NYYYN");
        MATRIX.put(Room.equipment("p1", "crane-2"), "YYYYN");
        MATRIX.put(Room.safetyZone("p1", "basement"), "YYYYN");
        MATRIX.put(Room.worker("p1", "w-1"), "YYYYN");
        MATRIX.put(Room.worker("p1", "w-2"), "NYYYN");
        MATRIX.put(Room.project("p2"), "NNNNN");
        MATRIX.put(Room.management("p2"), "NNNNN");
        MATRIX.put(Room.trade("p2", "electrician"), "NNNNN");
        MATRIX.put(Room.equipment("p2", "crane-2"), "NNNNN");
        MATRIX.put(Room.safetyZone("p2", "basement"), "NNNNN");
        MATRIX.put(Room.worker("p2", "w-1"), "NNNNN");
    }

    @Test
    void everyRoomKindForEveryRole() {
        final List<Role> columns = List.of(Role.WORKER, Role.SUPERVISOR, Role.SAFETY_OFFICER, Role.MANAGER, Role.DEVICE);
        assertThat(columns).containsExactlyInAnyOrder(Role.values());
        assertThat(MATRIX.keySet()).extracting(Room::kind).containsAll(EnumSet.allOf(Room.Kind.class));
        MATRIX.forEach((room, row) -> {
            for (int i = 0; i < columns.size(); i++) {
                final Principal principal = as(columns.get(i));
                final boolean expected = row.charAt(i) == 'Y';
                assertThat(AUTHORIZER.mayJoin(principal, room)).as("%s in %s", columns.get(i), room).isEqualTo(expected);
                assertThat(AUTHORIZER.whyNot(principal, room).isEmpty()).as("whyNot %s in %s", columns.get(i), room)
                        .isEqualTo(expected);
            }
        });
    }

    @Test
    void reasonsSayWhatIsMissing() {
        assertThat(AUTHORIZER.whyNot(as(Role.MANAGER), Room.project("p2"))).contains("not a member of project p2");
        assertThat(AUTHORIZER.whyNot(as(Role.WORKER), Room.management("p1")))
                .contains("management rooms are for managers and safety officers");
        assertThat(AUTHORIZER.whyNot(as(Role.WORKER), Room.trade("p1", "plumber"))).get().asString()
                .contains("workers of trade plumber");
        assertThat(AUTHORIZER.whyNot(as(Role.WORKER), Room.worker("p1", "w-2"))).get().asString()
                .startsWith("worker:w-2 rooms are for that worker");
        assertThat(AUTHORIZER.whyNot(as(Role.DEVICE), Room.project("p1"))).get().asString().contains("device tokens");
        // the device check comes first, so a device learns nothing about project membership
        assertThat(AUTHORIZER.whyNot(as(Role.DEVICE), Room.project("p2"))).get().asString().contains("device tokens");
    }

    @Test
    void aDeviceRoleNextToAnotherRoleJoinsAsTheOther() {
        final Principal deviceAndWorker = as(Role.DEVICE, Role.WORKER);
        assertThat(AUTHORIZER.mayJoin(deviceAndWorker, Room.project("p1"))).isTrue();
        assertThat(AUTHORIZER.mayJoin(deviceAndWorker, Room.worker("p1", "w-1"))).isTrue();
        assertThat(AUTHORIZER.mayJoin(deviceAndWorker, Room.management("p1"))).isFalse();
    }

    @Test
    void aWorkerRoomMatchesTheWorkerIdClaimNotTheSubject() {
        // Given a worker whose subject looks like another worker's id
        final Principal worker = new Principal("w-2", Set.of("p1"), Set.of(Role.WORKER), Set.of(), "w-1", EXPIRES);

        // Then only the workerId's room is theirs
        assertThat(AUTHORIZER.mayJoin(worker, Room.worker("p1", "w-1"))).isTrue();
        assertThat(AUTHORIZER.mayJoin(worker, Room.worker("p1", "w-2"))).isFalse();
    }

    @Test
    void aPrincipalWithoutRolesJoinsNothing() {
        final Principal nobody = new Principal("x", Set.of("p1"), Set.of(), Set.of("electrician"), "x", EXPIRES);
        for (final Room room : MATRIX.keySet()) {
            assertThat(AUTHORIZER.mayJoin(nobody, room)).as(room.name()).isFalse();
        }
    }
}
