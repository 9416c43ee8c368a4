package io.sitewire.streams;

import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.checkIn;
import static io.sitewire.streams.Events.checkOut;
import static io.sitewire.streams.Events.position;
import static io.sitewire.streams.Events.presence;
import static io.sitewire.streams.Events.wearableReading;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.WorkerState;
import io.sitewire.events.WorkerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresenceTest {

    private static final String P = "p-pres";

    @TempDir
    Path stateDir;
    private Harness h;

    @BeforeEach
    void start() {
        // missing after 10 min (the default), checked every 10 s of wall clock
        h = new Harness(stateDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void workerStateFollowsCheckInPositionStatusAndCheckOut() {
        h.pipe(checkIn(P, "w1", "gate", T0));
        final double[] fix = at(3, 4);
        h.pipe(position(P, "w1", fix, "deck-2", T0 + 1_000));
        h.pipe(presence(P, "w1", PresenceAction.STATUS, WorkerStatus.BREAK, null, null, T0 + 2_000));
        h.pipe(checkOut(P, "w1", T0 + 3_000));
        final List<KeyValue<String, WorkerState>> states = h.workerStates();
        assertThat(states).extracting(kv -> kv.key).containsOnly(P + "/w1");
        assertThat(states).extracting(kv -> kv.value.getCheckedIn(), kv -> kv.value.getStatus(), kv -> kv.value.getZone(),
                kv -> kv.value.getTrade(), kv -> kv.value.getLastSeen()).containsExactly(
                tuple(true, WorkerStatus.ACTIVE, "gate", "carpenter", T0),
                tuple(true, WorkerStatus.ACTIVE, "deck-2", "carpenter", T0 + 1_000),
                tuple(true, WorkerStatus.BREAK, "deck-2", "carpenter", T0 + 2_000),
                tuple(false, WorkerStatus.OFFSITE, "deck-2", "carpenter", T0 + 3_000));
        assertThat(states.get(3).value.getLat()).isEqualTo(fix[0]);
    }

    @Test
    void olderPresenceEventsDoNotOverrideNewerOnes() {
        h.pipe(checkOut(P, "w1", T0 + 5_000));
        h.pipe(checkIn(P, "w1", "gate", T0 + 1_000)); // late
        final List<KeyValue<String, WorkerState>> states = h.workerStates();
        assertThat(states.get(states.size() - 1).value.getCheckedIn()).isFalse();
    }

    @Test
    void headcountPerZoneAndTotalFollowCheckInsMovesAndCheckOuts() {
        h.pipe(checkIn(P, "w1", "gate", T0));
        h.pipe(checkIn(P, "w2", "gate", T0 + 1));
        h.pipe(position(P, "w1", at(0, 0), "deck-1", T0 + 2));
        h.pipe(checkOut(P, "w2", T0 + 3));
        h.pipe(position(P, "w3", at(0, 0), "deck-1", T0 + 4)); // not checked in: not counted
        assertThat(h.headcounts()).extracting(kv -> kv.key, kv -> kv.value.getCount(), kv -> kv.value.getUpdatedAt())
                .containsExactly(
                        tuple(P + "/*", 1, T0), tuple(P + "/gate", 1, T0),
                        tuple(P + "/*", 2, T0 + 1), tuple(P + "/gate", 2, T0 + 1),
                        tuple(P + "/gate", 1, T0 + 2), tuple(P + "/deck-1", 1, T0 + 2),
                        tuple(P + "/*", 1, T0 + 3), tuple(P + "/gate", 0, T0 + 3));
    }

    @Test
    void silentCheckedInWorkerIsMissingAfterTenMinutesAndClearsWhenSeen() {
        // Given w1 checked in at wall clock T0 and silent since; w2 checked in and then checked out
        h.pipe(checkIn(P, "w1", "deck-3", T0));
        h.pipe(checkIn(P, "w2", "deck-3", T0));
        h.pipe(checkOut(P, "w2", T0 + 1));
        // When 9 min 50 s pass on the wall clock
        h.advanceWallClock(Duration.ofSeconds(590));
        // Then nobody is missing yet
        assertThat(h.alerts()).isEmpty();
        // When 10 minutes have passed
        h.advanceWallClock(Duration.ofSeconds(10));
        // Then w1 (only) is MISSING, URGENT, with the last seen time as episode start
        final String id = "MISSING_WORKER:" + P + ":w1:" + T0;
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getType, Alert::getPriority, Alert::getState,
                        Alert::getZone, Alert::getRaisedAt)
                .containsExactly(tuple(id, AlertType.MISSING_WORKER, Priority.URGENT, AlertState.RAISED, "deck-3", T0 + 600_000));
        // And stays raised once, not again at every check
        h.advanceWallClock(Duration.ofMinutes(5));
        assertThat(h.alerts()).isEmpty();
        // When a wearable reading of w1 arrives
        h.pipe(wearableReading(P, "w1", "deck-3", T0 + 900_000));
        // Then it clears with the same id
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getState, Alert::getSourceTime)
                .containsExactly(tuple(id, AlertState.CLEARED, T0 + 900_000));
    }

    @Test
    void checkOutClearsAnOpenMissingAlertAndOffsiteWorkersAreNotWatched() {
        h.pipe(checkIn(P, "w1", "deck-3", T0));
        h.pipe(checkIn(P, "w2", "deck-3", T0));
        h.pipe(presence(P, "w2", PresenceAction.STATUS, WorkerStatus.OFFSITE, null, null, T0 + 1));
        h.advanceWallClock(Duration.ofMinutes(11));
        assertThat(h.alerts()).extracting(Alert::getWorkerId, Alert::getState).containsExactly(tuple("w1", AlertState.RAISED));
        h.pipe(checkOut(P, "w1", T0 + 700_000));
        assertThat(h.alerts()).extracting(Alert::getWorkerId, Alert::getState, Alert::getRule)
                .containsExactly(tuple("w1", AlertState.CLEARED, "presence.checked-out"));
    }

    @Test
    void missingLimitCanBeSetPerProject(@TempDir final Path otherDir) {
        try (Harness custom = new Harness(otherDir, Map.of("project." + P + ".presence.missing.after.ms", "60000"))) {
            custom.pipe(checkIn(P, "w1", "deck-3", T0));
            custom.pipe(checkIn("p-other", "w1", "deck-3", T0));
            custom.advanceWallClock(Duration.ofSeconds(60));
            assertThat(custom.alerts()).extracting(Alert::getProjectId).containsExactly(P);
        }
    }
}
