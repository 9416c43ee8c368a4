package io.sitewire.streams;

import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules 2 and 3 (io.sitewire.streams.air / .noise) wired into the app: their alerts reach the priority topics. */
class AirNoiseWiringTest {

    private static final String P = "p-air";

    @Test
    void gasCeilingAlertsReachTheTopicOfTheirPriority(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir)) {
            // When a CO sensor reads above the 200 ppm ceiling and an O2 sensor below 19.5 %
            h.pipe(new SensorReading(P, "co-1", "tunnel", Metric.co_ppm, 250.0, null, T0));
            h.pipe(new SensorReading(P, "o2-1", "tunnel", Metric.o2_pct, 18.0, null, T0 + 1));
            // Then both are raised at once, each on its priority's topic (the Harness checks topic == priority)
            assertThat(h.alerts()).extracting(Alert::getRule, Alert::getPriority, Alert::getState)
                    .contains(tuple("air.o2.low", Priority.EMERGENCY, AlertState.RAISED),
                            tuple("air.co.ceiling", Priority.URGENT, AlertState.RAISED));
        }
    }

    @Test
    void airSettingsFromTheAppConfigReachTheRules(@TempDir final Path stateDir) {
        // Given a project whose CO ceiling is 300 ppm
        try (Harness h = new Harness(stateDir, Map.of("project." + P + ".air.co.ceiling.limit", "300"))) {
            h.pipe(new SensorReading(P, "co-1", "tunnel", Metric.co_ppm, 250.0, null, T0));
            h.pipe(new SensorReading("p-other", "co-1", "tunnel", Metric.co_ppm, 250.0, null, T0));
            // Then 250 ppm is an alert (per sensor, and rolled up per zone) only in the other project
            assertThat(h.alerts()).extracting(Alert::getProjectId, Alert::getRule)
                    .containsExactlyInAnyOrder(tuple("p-other", "air.co.ceiling"), tuple("p-other", "air.co.ceiling.zone"));
        }
    }
}
