package io.sitewire.streams;

import static io.sitewire.streams.Events.allClear;
import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.broadcast;
import static io.sitewire.streams.Events.checkIn;
import static io.sitewire.streams.Events.checkOut;
import static io.sitewire.streams.Events.evacuation;
import static io.sitewire.streams.Events.position;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.TargetScope;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollCallTest {

    private static final String P = "p-evac";
    private static final List<String> MUSTER = List.of("muster-north", "muster-south");

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

    private RollCall last(final List<KeyValue<String, RollCall>> calls) {
        assertThat(calls).isNotEmpty().allSatisfy(kv -> assertThat(kv.key).isEqualTo(P));
        return calls.get(calls.size() - 1).value;
    }

    @Test
    void rollCallProgressesUntilAllAreAccountedAndEndsWithAllClear() {
        // Given three checked-in workers and one who already left
        h.pipe(checkIn(P, "w1", "deck-1", T0));
        h.pipe(checkIn(P, "w2", "deck-2", T0));
        h.pipe(checkIn(P, "w3", "deck-3", T0));
        h.pipe(checkIn(P, "w4", "deck-3", T0));
        h.pipe(checkOut(P, "w4", T0 + 1));
        h.alerts();
        // When an evacuation is broadcast
        final long start = T0 + 10_000;
        h.pipe(evacuation(P, "evac-1", MUSTER, start));
        // Then an EVACUATION alert goes out (EMERGENCY whatever the sender chose) and the roll-call lists all three missing
        final String evacId = "EVACUATION:" + P + ":evac-1:" + start;
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getType, Alert::getPriority, Alert::getState)
                .containsExactly(tuple(evacId, AlertType.EVACUATION, Priority.EMERGENCY, AlertState.RAISED));
        RollCall call = last(h.rollCalls());
        assertThat(call.getActive()).isTrue();
        assertThat(call.getEvacuationId()).isEqualTo("evac-1");
        assertThat(call.getMusterZones()).containsExactly("muster-north", "muster-south");
        assertThat(call.getMissing()).containsExactly("w1", "w2", "w3");
        assertThat(call.getAccounted()).isEmpty();
        assertThat(call.getStartedAt()).isEqualTo(start);

        // When w1 is seen in a muster zone, w2 in a muster zone but with a fix older than the start, w3 elsewhere
        h.pipe(position(P, "w1", at(0, 0), "muster-north", start + 1_000));
        h.pipe(position(P, "w2", at(0, 0), "muster-south", start - 1_000));
        h.pipe(position(P, "w3", at(0, 0), "deck-3", start + 2_000));
        // Then only w1 is accounted
        call = last(h.rollCalls());
        assertThat(call.getAccounted()).containsExactly("w1");
        assertThat(call.getMissing()).containsExactly("w2", "w3");
        assertThat(h.alerts()).isEmpty();

        // When w2 checks in at a muster point and w3 checks out at the gate
        h.pipe(checkIn(P, "w2", "muster-south", start + 3_000));
        h.pipe(checkOut(P, "w3", start + 4_000));
        // Then everyone is accounted for and a ROLL_CALL alert says so, once
        call = last(h.rollCalls());
        assertThat(call.getAccounted()).containsExactly("w1", "w2", "w3");
        assertThat(call.getMissing()).isEmpty();
        assertThat(call.getUpdatedAt()).isEqualTo(start + 4_000);
        final String rollCallId = "ROLL_CALL:" + P + ":evac-1:" + start;
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getPriority, Alert::getState)
                .containsExactly(tuple(rollCallId, Priority.HIGH, AlertState.RAISED));

        // When the all clear is given
        h.pipe(allClear(P, "clear-1", start + 60_000));
        // Then the roll-call closes and the evacuation and roll-call alerts clear with their ids
        call = last(h.rollCalls());
        assertThat(call.getActive()).isFalse();
        assertThat(h.alerts()).extracting(Alert::getAlertId, Alert::getType, Alert::getState)
                .containsExactlyInAnyOrder(
                        tuple(evacId, AlertType.EVACUATION, AlertState.CLEARED),
                        tuple(rollCallId, AlertType.ROLL_CALL, AlertState.CLEARED),
                        tuple("BROADCAST:" + P + ":clear-1:" + (start + 60_000), AlertType.BROADCAST, AlertState.RAISED));
    }

    @Test
    void zoneEvacuationCallsOnlyThatZoneAndLateCheckInsJoinTheMissing() {
        h.pipe(checkIn(P, "w1", "tower-a", T0));
        h.pipe(checkIn(P, "w2", "tower-b", T0));
        final long start = T0 + 5_000;
        h.pipe(broadcast(P, "evac-a", BroadcastKind.EVACUATION, Priority.EMERGENCY, TargetScope.ZONE, "tower-a", MUSTER, start));
        assertThat(last(h.rollCalls()).getMissing()).containsExactly("w1");
        // When someone checks in to the evacuated zone during the evacuation
        h.pipe(checkIn(P, "w5", "tower-a", start + 1_000));
        assertThat(last(h.rollCalls()).getMissing()).containsExactly("w1", "w5");
    }

    @Test
    void evacuationWithNobodyOnSiteIsAccountedAtOnce() {
        final long start = T0 + 5_000;
        h.pipe(evacuation(P, "evac-empty", MUSTER, start));
        assertThat(h.alerts()).extracting(Alert::getType).containsExactlyInAnyOrder(AlertType.EVACUATION, AlertType.ROLL_CALL);
        assertThat(last(h.rollCalls()).getMissing()).isEmpty();
    }

    @Test
    void aRepeatedEvacuationBroadcastJoinsTheActiveOneAndBothAlertsClear() {
        h.pipe(checkIn(P, "w1", "deck-1", T0));
        h.pipe(evacuation(P, "evac-1", List.of("muster-north"), T0 + 1_000));
        h.pipe(evacuation(P, "evac-1", List.of("muster-north"), T0 + 1_000)); // resend: nothing new
        h.pipe(evacuation(P, "evac-2", List.of("muster-east"), T0 + 2_000));
        final RollCall call = last(h.rollCalls());
        assertThat(call.getEvacuationId()).isEqualTo("evac-1");
        assertThat(call.getMusterZones()).containsExactly("muster-east", "muster-north");
        h.alerts();
        h.pipe(allClear(P, "clear", T0 + 9_000));
        assertThat(h.alertsOn(Priority.EMERGENCY)).extracting(Alert::getAlertId, Alert::getState).containsExactly(
                tuple("EVACUATION:" + P + ":evac-1:" + (T0 + 1_000), AlertState.CLEARED),
                tuple("EVACUATION:" + P + ":evac-2:" + (T0 + 2_000), AlertState.CLEARED));
    }
}
