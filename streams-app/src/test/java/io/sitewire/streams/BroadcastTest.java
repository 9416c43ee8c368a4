package io.sitewire.streams;

import static io.sitewire.streams.Events.broadcast;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BroadcastTest {

    private static final String P = "p-cast";

    @Test
    void everyBroadcastGoesToTheAlertTopicOfItsPriority(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir)) {
            // When one broadcast of each priority is sent (weather, schedule, other, all clear)
            long t = T0;
            for (final Priority priority : Priority.values()) {
                h.pipe(broadcast(P, "b-" + priority, BroadcastKind.WEATHER, priority, TargetScope.TRADE, "crane-operators",
                        List.of(), t++));
            }
            h.pipe(broadcast(P, "b-zone", BroadcastKind.SCHEDULE, Priority.LOW, TargetScope.ZONE, "deck-9", List.of(), t));
            // Then each is a BROADCAST alert on its own priority's topic (Harness checks topic == priority)
            for (final Priority priority : Priority.values()) {
                final List<Alert> onTopic = h.alertsOn(priority);
                final List<String> expected = priority == Priority.LOW
                        ? List.of("BROADCAST:" + P + ":b-LOW:" + (T0 + 4), "BROADCAST:" + P + ":b-zone:" + (T0 + 5))
                        : List.of("BROADCAST:" + P + ":b-" + priority + ":" + (T0 + priority.ordinal()));
                assertThat(onTopic).extracting(Alert::getAlertId).containsExactlyElementsOf(expected);
                assertThat(onTopic).allSatisfy(a -> {
                    assertThat(a.getType()).isEqualTo(AlertType.BROADCAST);
                    assertThat(a.getState()).isEqualTo(AlertState.RAISED);
                    assertThat(a.getMessage()).contains("message ");
                });
            }
        }
    }

    @Test
    void evacuationIsAlwaysAnEmergencyAndNamesItsZone(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir)) {
            h.pipe(broadcast(P, "ev", BroadcastKind.EVACUATION, Priority.LOW, TargetScope.ZONE, "basement",
                    List.of("car-park"), T0));
            // (the roll-call of an empty site is complete at once: a HIGH ROLL_CALL alert, see RollCallTest)
            assertThat(h.alertsOn(Priority.EMERGENCY)).extracting(Alert::getType, Alert::getZone, Alert::getSourceTime)
                    .containsExactly(tuple(AlertType.EVACUATION, "basement", T0));
        }
    }
}
