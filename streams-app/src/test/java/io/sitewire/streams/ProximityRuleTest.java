package io.sitewire.streams;

import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.machine;
import static io.sitewire.streams.Events.position;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.Priority;
import io.sitewire.events.WorkerState;
import io.sitewire.streams.proximity.GeoMath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProximityRuleTest {

    private static final String P = "p-prox";
    private static final double[] ORIGIN = at(0, 0);

    @TempDir
    Path stateDir;
    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness(stateDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void crane(final String id, final double[] point, final double radius, final EquipmentState state,
            final boolean moving, final long time) {
        h.pipe(machine(P, id, point, radius, state, moving, time));
    }

    private static String id(final String worker, final String machine, final long start) {
        return "PROXIMITY:" + P + ":" + worker + ":" + machine + ":" + start;
    }

    @Test
    void oneRaisedPerEpisodeNotPerPositionAndClearedWithTheSameId() {
        // Given an operational, idle-armed crane with a 30 m radius
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        // When a worker walks in (20, 22, 25 m) and out (40 m)
        h.pipe(position(P, "w1", at(0, 20), "zone-a", T0 + 1_000));
        h.pipe(position(P, "w1", at(0, 22), "zone-a", T0 + 2_000));
        h.pipe(position(P, "w1", at(0, 25), "zone-a", T0 + 3_000));
        h.pipe(position(P, "w1", at(0, 40), "zone-a", T0 + 4_000));
        // Then one URGENT RAISED and one CLEARED with the same id, on the URGENT topic
        final List<Alert> alerts = h.alerts();
        assertThat(alerts).extracting(Alert::getAlertId, Alert::getState, Alert::getPriority, Alert::getSourceTime, Alert::getRule)
                .containsExactly(
                        tuple(id("w1", "crane-1", T0 + 1_000), AlertState.RAISED, Priority.URGENT, T0 + 1_000, "proximity.radius"),
                        tuple(id("w1", "crane-1", T0 + 1_000), AlertState.CLEARED, Priority.URGENT, T0 + 4_000, "proximity.left"));
        final Alert raised = alerts.get(0);
        assertThat(raised.getWorkerId()).isEqualTo("w1");
        assertThat(raised.getEquipmentId()).isEqualTo("crane-1");
        assertThat(raised.getZone()).isEqualTo("zone-a");
        assertThat(raised.getValue()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(raised.getLimit()).isEqualTo(30.0);
        assertThat(raised.getLimitSource()).contains("1926.1424");
        assertThat(raised.getRaisedAt()).isEqualTo(T0); // the driver's wall clock when it was produced
        assertThat(raised.getProjectId()).isEqualTo(P);
    }

    @Test
    void exactlyOnTheRadiusIsInsideAndJustBeyondIsNot() {
        // Given a worker at some distance d from two cranes' centre: one with radius d, one with the next smaller double
        final double[] worker = at(17, 23);
        final double d = GeoMath.distanceM(ORIGIN[0], ORIGIN[1], worker[0], worker[1]);
        crane("on-radius", ORIGIN, d, EquipmentState.OPERATIONAL, false, T0);
        crane("just-short", ORIGIN, Math.nextDown(d), EquipmentState.OPERATIONAL, false, T0);
        // When the worker reports there
        h.pipe(position(P, "w1", worker, T0 + 1_000));
        // Then only the crane whose radius reaches exactly to the worker raises
        assertThat(h.alerts()).extracting(Alert::getEquipmentId, Alert::getPriority)
                .containsExactly(tuple("on-radius", Priority.URGENT));
    }

    @Test
    void innerFractionBoundaryIsEmergency() {
        // Given a worker at distance d; radius 2d puts them exactly on the inner boundary (0.5), nextDown(2d) just outside it
        final double[] worker = at(-11, 7);
        final double d = GeoMath.distanceM(ORIGIN[0], ORIGIN[1], worker[0], worker[1]);
        crane("inner-edge", ORIGIN, 2 * d, EquipmentState.OPERATIONAL, false, T0);
        crane("outer-ring", ORIGIN, Math.nextDown(2 * d), EquipmentState.OPERATIONAL, false, T0);
        // When the worker reports
        h.pipe(position(P, "w1", worker, T0 + 1_000));
        // Then the inner boundary counts as inner (EMERGENCY), the other is URGENT
        assertThat(h.alerts()).extracting(Alert::getEquipmentId, Alert::getPriority, Alert::getRule)
                .containsExactly(tuple("inner-edge", Priority.EMERGENCY, "proximity.inner"),
                        tuple("outer-ring", Priority.URGENT, "proximity.radius"));
    }

    @Test
    void movingMachineMakesItAnEmergency() {
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, true, T0);
        h.pipe(position(P, "w1", at(25, 0), T0 + 1_000));
        assertThat(h.alerts()).extracting(Alert::getPriority, Alert::getRule, Alert::getState)
                .containsExactly(tuple(Priority.EMERGENCY, "proximity.moving", AlertState.RAISED));
    }

    @Test
    void hysteresisKeepsTheEpisodeOpenOnTheBoundary() {
        // Given radius 30 m and 10 % hysteresis: clears only beyond 33 m
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        // When the worker jitters around the boundary, then leaves, then jitters in the band, then comes back in
        h.pipe(position(P, "w1", at(0, 29.0), T0 + 1_000)); // raise
        h.pipe(position(P, "w1", at(0, 32.0), T0 + 2_000)); // band: keep
        h.pipe(position(P, "w1", at(0, 29.5), T0 + 3_000)); // inside: same episode
        h.pipe(position(P, "w1", at(0, 32.9), T0 + 4_000)); // band: keep
        h.pipe(position(P, "w1", at(0, 33.5), T0 + 5_000)); // beyond 33 m: clear
        h.pipe(position(P, "w1", at(0, 31.0), T0 + 6_000)); // band but no episode: nothing
        h.pipe(position(P, "w1", at(0, 30.0), T0 + 7_000)); // on the radius: new episode
        // Then exactly two episodes, no flapping
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getState).containsExactly(
                tuple(id("w1", "crane-1", T0 + 1_000), AlertState.RAISED),
                tuple(id("w1", "crane-1", T0 + 1_000), AlertState.CLEARED),
                tuple(id("w1", "crane-1", T0 + 7_000), AlertState.RAISED));
    }

    @Test
    void stalePositionClearsOnStreamTimeAfterSixtySeconds() {
        // Given an open episode of w1 at T0+1s
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(0, 20), T0 + 1_000));
        assertThat(h.alerts()).extracting(Alert::getState).containsExactly(AlertState.RAISED);
        // When only another worker, far away, keeps reporting: stream time reaches exactly 60 s after w1's fix
        h.pipe(position(P, "w2", at(500, 500), T0 + 61_000));
        // Then nothing yet (60 s old is not older than 60 s)
        assertThat(h.alerts()).isEmpty();
        // When stream time passes it
        h.pipe(position(P, "w2", at(500, 500), T0 + 62_000));
        // Then the episode is cleared as stale, at the stream time of the punctuation
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getState, Alert::getRule, Alert::getSourceTime)
                .containsExactly(tuple(id("w1", "crane-1", T0 + 1_000), AlertState.CLEARED, "proximity.stale", T0 + 62_000));
    }

    @Test
    void wallClockAloneDoesNotClearAnEpisode() {
        // Given an open episode
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(0, 20), T0 + 1_000));
        h.alerts();
        // When no input flows for ten minutes of wall clock
        h.advanceWallClock(java.time.Duration.ofMinutes(10));
        // Then the alert stays up (stale clearing is on stream time: silence keeps an alert, never drops it)
        assertThat(h.alertsOn(Priority.URGENT)).isEmpty();
    }

    @Test
    void stalePositionDoesNotRaiseWhenAMachineMovesOntoIt() {
        // Given w1's last fix at T0, 100 m away from the crane
        h.pipe(position(P, "w1", at(0, 100), T0));
        // When the crane drives onto that spot two minutes later
        crane("crane-1", at(0, 95), 30, EquipmentState.OPERATIONAL, true, T0 + 120_000);
        // Then no alert: the position is two minutes old
        assertThat(h.alerts()).isEmpty();
    }

    @Test
    void machineGoingIdleClearsAndOperationalAgainRaisesANewEpisode() {
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(10, 10), T0 + 1_000));
        // When the crane goes idle, the worker comes closer, then the crane is operational again
        crane("crane-1", ORIGIN, 30, EquipmentState.IDLE, false, T0 + 2_000);
        h.pipe(position(P, "w1", at(5, 5), T0 + 3_000));
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0 + 4_000);
        // Then: raised, cleared by the machine stopping, nothing while idle, a new episode when it restarts
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getState, Alert::getRule).containsExactly(
                tuple(id("w1", "crane-1", T0 + 1_000), AlertState.RAISED, "proximity.inner"),
                tuple(id("w1", "crane-1", T0 + 1_000), AlertState.CLEARED, "proximity.equipment-stopped"),
                tuple(id("w1", "crane-1", T0 + 4_000), AlertState.RAISED, "proximity.inner"));
        // And the machine's current state is published on every accepted report
        assertThat(h.equipmentStates()).extracting(kv -> kv.key, kv -> kv.value.getStatus()).containsExactly(
                tuple(P + "/crane-1", EquipmentState.OPERATIONAL), tuple(P + "/crane-1", EquipmentState.IDLE),
                tuple(P + "/crane-1", EquipmentState.OPERATIONAL));
    }

    @Test
    void movingMachineApproachingAStandingWorkerRaises() {
        // Given a worker standing 100 m east
        h.pipe(position(P, "w1", at(0, 100), T0));
        // When a moving excavator (radius 30) comes towards them: 50 m away, then 25 m away
        crane("exc-1", at(0, 50), 30, EquipmentState.OPERATIONAL, true, T0 + 1_000);
        assertThat(h.alerts()).isEmpty();
        crane("exc-1", at(0, 75), 30, EquipmentState.OPERATIONAL, true, T0 + 2_000);
        // Then the machine's update raises, EMERGENCY because it moves
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getPriority, Alert::getSourceTime)
                .containsExactly(tuple(id("w1", "exc-1", T0 + 2_000), Priority.EMERGENCY, T0 + 2_000));
    }

    @Test
    void escalationWithinAnEpisodeAddsOneEmergencyAlertAndBothClear() {
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(0, 25), T0 + 1_000));
        // When the crane starts slewing, stops, starts again; then the worker leaves
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, true, T0 + 2_000);
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0 + 3_000);
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, true, T0 + 4_000);
        h.pipe(position(P, "w1", at(0, 50), T0 + 5_000));
        // Then URGENT raised, one EMERGENCY escalation (sticky), and both cleared with their own ids
        final String base = id("w1", "crane-1", T0 + 1_000);
        final String escalated = "PROXIMITY:" + P + ":w1:crane-1:EMERGENCY:" + (T0 + 1_000);
        assertThat(h.alertsOn(Priority.URGENT)).extracting(Alert::getAlertId, Alert::getState)
                .containsExactly(tuple(base, AlertState.RAISED), tuple(base, AlertState.CLEARED));
        assertThat(h.alertsOn(Priority.EMERGENCY)).extracting(Alert::getAlertId, Alert::getState, Alert::getSourceTime)
                .containsExactly(tuple(escalated, AlertState.RAISED, T0 + 2_000), tuple(escalated, AlertState.CLEARED, T0 + 5_000));
    }

    @Test
    void lateAndOutOfOrderPositionsNeverMoveAWorkerBack() {
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(0, 20), T0 + 5_000));
        final double[] inside = at(0, 20);
        h.workerStates();
        // When a late fix from T0+3s, far outside, arrives after the T0+5s one
        h.pipe(position(P, "w1", at(0, 200), T0 + 3_000));
        // Then the episode stays open and the published state keeps the newer position
        assertThat(h.alerts()).extracting(Alert::getState).containsExactly(AlertState.RAISED);
        final List<KeyValue<String, WorkerState>> states = h.workerStates();
        assertThat(states).hasSize(1);
        assertThat(states.get(0).value.getLat()).isEqualTo(inside[0]);
        assertThat(states.get(0).value.getLng()).isEqualTo(inside[1]);
        assertThat(states.get(0).value.getLastSeen()).isEqualTo(T0 + 5_000);
        // When a newer fix outside arrives, it clears
        h.pipe(position(P, "w1", at(0, 200), T0 + 6_000));
        assertThat(h.alerts()).extracting(Alert::getState).containsExactly(AlertState.CLEARED);
    }

    @Test
    void machinesOfAnotherProjectAreIgnoredAndEachMachineHasItsOwnEpisode() {
        h.pipe(machine("other-project", "crane-x", ORIGIN, 50, EquipmentState.OPERATIONAL, false, T0));
        crane("crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0);
        crane("crane-2", at(0, 40), 30, EquipmentState.OPERATIONAL, false, T0);
        h.pipe(position(P, "w1", at(0, 20), T0 + 1_000));
        assertThat(h.alerts()).extracting(Alert::getAlertId).containsExactlyInAnyOrder(
                id("w1", "crane-1", T0 + 1_000), id("w1", "crane-2", T0 + 1_000));
    }

    @Test
    void projectOverrideOfTheInnerFractionApplies(@TempDir final Path otherDir) {
        // Given a project whose inner zone is 80 % of the radius
        try (Harness custom = new Harness(otherDir, Map.of("project." + P + ".proximity.inner.fraction", "0.8"))) {
            custom.pipe(machine(P, "crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0));
            custom.pipe(machine("p-default", "crane-1", ORIGIN, 30, EquipmentState.OPERATIONAL, false, T0));
            // When a worker stands at 20 m in each project
            custom.pipe(position(P, "w1", at(0, 20), T0 + 1_000));
            custom.pipe(position("p-default", "w1", at(0, 20), T0 + 1_000));
            // Then 20 m is inner (<= 24 m) in the overridden project and not in the other
            assertThat(custom.alerts()).extracting(Alert::getProjectId, Alert::getPriority).containsExactlyInAnyOrder(
                    tuple(P, Priority.EMERGENCY), tuple("p-default", Priority.URGENT));
        }
    }
}
