package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WearableAlarm;
import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.Role;
import io.sitewire.schemas.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestPolicyTest {

    private static final Instant EXPIRES = Instant.parse("2026-11-25T11:00:00Z");

    private static Principal as(final Role role) {
        return new Principal("sub-" + role.claim(), Set.of("p1"), Set.of(role), Set.of(), "w-1", EXPIRES);
    }

    @Test
    void whichRolesMayPostWhichTypes() {
        // Columns: worker, supervisor, safety_officer, manager, device; written out, not computed
        final List<Role> columns = List.of(Role.WORKER, Role.SUPERVISOR, Role.SAFETY_OFFICER, Role.MANAGER, Role.DEVICE);
        final Map<EventType, String> expected = new LinkedHashMap<>();
        expected.put(EventType.WORKER_POSITION, "NNNNY");
        expected.put(EventType.EQUIPMENT_STATUS, "NNNNY");
        expected.put(EventType.SENSOR_READING, "NNNNY");
        expected.put(EventType.WORKER_PRESENCE, "NYYYY");
        expected.put(EventType.WEARABLE_ALARM, "YYYYY");
        expected.put(EventType.MANUAL_BROADCAST, "NYYYN");
        expected.put(EventType.ALERT, "NNNNN");
        expected.put(EventType.WORKER_STATE, "NNNNN");
        expected.put(EventType.ZONE_HEADCOUNT, "NNNNN");
        expected.put(EventType.ROLL_CALL, "NNNNN");
        expected.put(EventType.DEAD_LETTER, "NNNNN");
        assertThat(expected.keySet()).containsExactlyInAnyOrder(EventType.values());
        expected.forEach((type, row) -> {
            for (int i = 0; i < columns.size(); i++) {
                assertThat(IngestPolicy.whyNot(as(columns.get(i)), type).isEmpty()).as("%s posting %s", columns.get(i), type)
                        .isEqualTo(row.charAt(i) == 'Y');
            }
        });
        assertThat(IngestPolicy.whyNot(as(Role.WORKER), EventType.MANUAL_BROADCAST))
                .contains("manual_broadcast events may be posted by supervisor, safety_officer, manager tokens only");
    }

    @Test
    void aWorkerMayRaiseAnAlarmForThemselvesOnly() {
        final WearableAlarm own = alarm("p1", "w-1");
        final WearableAlarm other = alarm("p1", "w-2");
        assertThat(IngestPolicy.whyNot(as(Role.WORKER), own)).isEmpty();
        assertThat(IngestPolicy.whyNot(as(Role.WORKER), other)).get().asString().contains("for themselves only");
        assertThat(IngestPolicy.whyNot(as(Role.DEVICE), other)).isEmpty();
        assertThat(IngestPolicy.whyNot(as(Role.SUPERVISOR), other)).isEmpty();
    }

    @Test
    void theProjectMustBeTheTokens() {
        assertThat(IngestPolicy.whyNot(as(Role.DEVICE), alarm("p2", "w-1"))).contains("not a member of project p2");
    }

    @Test
    void aBroadcastIsSignedByTheTokenSubject() {
        assertThat(IngestPolicy.whyNot(as(Role.SUPERVISOR), broadcast("sub-supervisor"))).isEmpty();
        assertThat(IngestPolicy.whyNot(as(Role.SUPERVISOR), broadcast("someone-else")))
                .contains("issuedBy must be the token's subject (sub-supervisor)");
    }

    private static WearableAlarm alarm(final String projectId, final String workerId) {
        return WearableAlarm.newBuilder().setProjectId(projectId).setWorkerId(workerId).setDeviceId("tag-1")
                .setKind(AlarmKind.FALL).setEventTime(Events.T0).build();
    }

    private static ManualBroadcast broadcast(final String issuedBy) {
        return ManualBroadcast.newBuilder().setProjectId("p1").setBroadcastId("b-1").setKind(BroadcastKind.WEATHER)
                .setPriority(Priority.HIGH).setTargetScope(TargetScope.PROJECT).setMessage("storm").setIssuedBy(issuedBy)
                .setEventTime(Events.T0).build();
    }
}
