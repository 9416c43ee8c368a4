package io.sitewire.streams;

import static io.sitewire.streams.Events.alarm;
import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.checkIn;
import static io.sitewire.streams.Events.position;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WearableAlarmTest {

    private static final String P = "p-wear";

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

    @Test
    void alarmIsEnrichedWithTheLastKnownZoneAndPosition() {
        // Given a worker checked in and last seen in zone "deck-4"
        final double[] lastFix = at(12, 34);
        h.pipe(checkIn(P, "w7", "gate", T0));
        h.pipe(position(P, "w7", lastFix, "deck-4", T0 + 1_000));
        // When their hard hat reports a fall without coordinates of its own
        h.pipe(alarm(P, "w7", "helmet-3", AlarmKind.FALL, null, T0 + 5_000));
        // Then one EMERGENCY FALL alert with the last known zone and position, id from device and event time
        final List<Alert> alerts = h.alerts();
        assertThat(alerts).hasSize(1);
        final Alert fall = alerts.get(0);
        assertThat(fall.getAlertId()).isEqualTo("FALL:" + P + ":w7:helmet-3:" + (T0 + 5_000));
        assertThat(fall.getType()).isEqualTo(AlertType.FALL);
        assertThat(fall.getPriority()).isEqualTo(Priority.EMERGENCY);
        assertThat(fall.getState()).isEqualTo(AlertState.RAISED);
        assertThat(fall.getZone()).isEqualTo("deck-4");
        assertThat(fall.getLat()).isEqualTo(lastFix[0]);
        assertThat(fall.getLng()).isEqualTo(lastFix[1]);
        assertThat(fall.getWorkerId()).isEqualTo("w7");
        assertThat(fall.getSourceTime()).isEqualTo(T0 + 5_000);
        assertThat(fall.getMessage()).contains("helmet-3").contains("deck-4").contains("last known");
    }

    @Test
    void alarmIsImmediateWithoutWaitingForTimeToPass() {
        // Given the wall clock standing at T0 + 3 s and no other input at all
        h.advanceWallClock(Duration.ofSeconds(3));
        // When an SOS arrives with its own coordinates
        final double[] here = at(1, 2);
        h.pipe(alarm(P, "w9", "radio-1", AlarmKind.SOS, here, T0 + 2_500));
        // Then it is out at once (no window, no punctuation, no later record needed), produced at wall-clock T0 + 3 s
        assertThat(h.alertsOn(Priority.EMERGENCY)).extracting(Alert::getType, Alert::getLat, Alert::getLng,
                        Alert::getZone, Alert::getRaisedAt)
                .containsExactly(tuple(AlertType.SOS, here[0], here[1], null, T0 + 3_000));
    }

    @Test
    void everyAlarmIsItsOwnAlertNothingIsMergedAway() {
        // When the same device sends the same kind twice, a second device and a third kind follow within a second
        h.pipe(alarm(P, "w1", "tag-1", AlarmKind.MAN_DOWN, null, T0));
        h.pipe(alarm(P, "w1", "tag-1", AlarmKind.MAN_DOWN, null, T0 + 200));
        h.pipe(alarm(P, "w1", "tag-2", AlarmKind.MAN_DOWN, null, T0 + 200));
        h.pipe(alarm(P, "w1", "tag-1", AlarmKind.FALL, null, T0 + 400));
        // Then four EMERGENCY alerts, four ids, in arrival order
        assertThat(h.alerts()).extracting(Alert::getAlertId).containsExactly(
                "MAN_DOWN:" + P + ":w1:tag-1:" + T0,
                "MAN_DOWN:" + P + ":w1:tag-1:" + (T0 + 200),
                "MAN_DOWN:" + P + ":w1:tag-2:" + (T0 + 200),
                "FALL:" + P + ":w1:tag-1:" + (T0 + 400));
    }

    @Test
    void alarmOfAnUnknownWorkerStillRaises() {
        h.pipe(alarm(P, "nobody-knows", "tag-9", AlarmKind.SOS, null, T0));
        assertThat(h.alerts()).extracting(Alert::getWorkerId, Alert::getZone, Alert::getLat, Alert::getPriority)
                .containsExactly(tuple("nobody-knows", null, null, Priority.EMERGENCY));
    }

    @Test
    void alarmCountsAsASignOfLifeForTheWorkerState() {
        h.pipe(checkIn(P, "w2", "gate", T0));
        h.workerStates();
        h.pipe(alarm(P, "w2", "tag-2", AlarmKind.SOS, null, T0 + 9_000));
        assertThat(h.workerStates()).extracting(kv -> kv.key, kv -> kv.value.getLastSeen())
                .containsExactly(tuple(P + "/w2", T0 + 9_000));
    }
}
