package io.sitewire.streams.air;

import static io.sitewire.streams.air.support.RuleHarness.BASE;
import static io.sitewire.streams.air.support.RuleHarness.SECOND;
import static io.sitewire.streams.air.support.RuleHarness.reading;
import static io.sitewire.streams.air.support.RuleHarness.worn;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.streams.air.support.RuleHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Instantaneous ceilings: they fire on the reading itself, once per episode, and clear past a hysteresis band. */
class AirCeilingRulesTest {

    private static RuleHarness harness(final String test, final AirQualityConfig config) {
        return new RuleHarness(test, (readings, registry) -> AirQualityRules.build(readings, config, registry));
    }

    private static List<Alert> ceilings(final List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getType() == AlertType.GAS_CEILING && !a.getRule().endsWith(".zone")).toList();
    }

    @Test
    void oxygenExactlyAtTheLowerLimitIsNotHazardousButJustBelowIs() {
        try (RuleHarness h = harness("o2-low-boundary", AirQualityConfig.defaults())) {
            // Given a confined-space monitor; "below 19.5 %" is hazardous (29 CFR 1910.146)
            h.send(reading("p-o2", "s1", "tank", Metric.o2_pct, 20.9, BASE));
            h.send(reading("p-o2", "s1", "tank", Metric.o2_pct, 19.5, BASE + 10 * SECOND));
            // Then exactly 19.5 % raises nothing
            assertThat(h.alerts()).isEmpty();

            // When the oxygen drops just below the limit
            h.send(reading("p-o2", "s1", "tank", Metric.o2_pct, 19.49, BASE + 20 * SECOND));

            // Then an EMERGENCY is raised on that reading, with no window to wait for
            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).hasSize(1);
            final Alert a = alerts.get(0);
            assertThat(a.getAlertId()).isEqualTo("GAS_CEILING:p-o2:s1:o2_pct.low:" + (BASE + 20 * SECOND));
            assertThat(a.getState()).isEqualTo(AlertState.RAISED);
            assertThat(a.getPriority()).isEqualTo(Priority.EMERGENCY);
            assertThat(a.getRule()).isEqualTo("air.o2.low");
            assertThat(a.getMetric()).isEqualTo("o2_pct");
            assertThat(a.getValue()).isEqualTo(19.49);
            assertThat(a.getLimit()).isEqualTo(19.5);
            assertThat(a.getLimitSource()).contains("1910.146");
            assertThat(a.getZone()).isEqualTo("tank");
            assertThat(a.getSourceTime()).isEqualTo(BASE + 20 * SECOND);
            assertThat(a.getRaisedAt()).isEqualTo(BASE + 24 * RuleHarness.HOUR);
        }
    }

    @Test
    void oxygenEnrichmentAboveTheUpperLimitIsAnEmergencyButExactly23_5IsNot() {
        try (RuleHarness h = harness("o2-high-boundary", AirQualityConfig.defaults())) {
            h.send(reading("p-o2h", "s1", "tank", Metric.o2_pct, 23.5, BASE));
            assertThat(h.alerts()).isEmpty();

            h.send(reading("p-o2h", "s1", "tank", Metric.o2_pct, 23.51, BASE + SECOND));

            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).extracting(Alert::getAlertId, Alert::getPriority, Alert::getRule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            "GAS_CEILING:p-o2h:s1:o2_pct.high:" + (BASE + SECOND), Priority.EMERGENCY, "air.o2.high"));
        }
    }

    @Test
    void flammableGasExactlyAtTenPercentLelIsHazardous() {
        try (RuleHarness h = harness("lel-boundary", AirQualityConfig.defaults())) {
            // Given 9.99 % LEL: below the limit
            h.send(reading("p-lel", "s1", "trench", Metric.lel_pct, 9.99, BASE));
            assertThat(h.alerts()).isEmpty();

            // When the reading is exactly 10 % LEL ("at or above")
            h.send(reading("p-lel", "s1", "trench", Metric.lel_pct, 10.0, BASE + SECOND));

            // Then it is an emergency
            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getPriority()).isEqualTo(Priority.EMERGENCY);
            assertThat(alerts.get(0).getRule()).isEqualTo("air.lel.ceiling");
            assertThat(alerts.get(0).getAlertId()).isEqualTo("GAS_CEILING:p-lel:s1:lel_pct:" + (BASE + SECOND));
        }
    }

    @Test
    void carbonMonoxideCeilingIsExceededOnlyAbove200Ppm() {
        try (RuleHarness h = harness("co-ceiling", AirQualityConfig.defaults())) {
            h.send(reading("p-co", "s1", "garage", Metric.co_ppm, 200.0, BASE));
            assertThat(h.alerts()).isEmpty();

            h.send(reading("p-co", "s1", "garage", Metric.co_ppm, 200.5, BASE + SECOND));

            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).hasSize(1);
            final Alert a = alerts.get(0);
            assertThat(a.getPriority()).isEqualTo(Priority.URGENT);
            assertThat(a.getLimitSource()).isEqualTo("NIOSH Pocket Guide: CO ceiling 200 ppm");
            assertThat(a.getWorkerId()).isNull();
            assertThat(a.getMessage()).contains("200.5 ppm").contains("s1");
        }
    }

    @Test
    void hysteresisGivesOneRaisedAndOneClearedPerEpisodeWithoutFlapping() {
        try (RuleHarness h = harness("co-hysteresis", AirQualityConfig.defaults())) {
            // Given CO hovering around the 200 ppm ceiling, clear level 180 ppm (90 %)
            final double[] values = {210, 199, 190, 185, 205, 230, 181, 180.0, 150, 195};
            for (int i = 0; i < values.length; i++) {
                h.send(reading("p-hys", "s1", "garage", Metric.co_ppm, values[i], BASE + i * SECOND));
            }

            // Then exactly one RAISED (at 210) and one CLEARED (at 180), with the same id; 195 after does not re-raise
            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).extracting(Alert::getState).containsExactly(AlertState.RAISED, AlertState.CLEARED);
            assertThat(alerts.get(0).getAlertId()).isEqualTo("GAS_CEILING:p-hys:s1:co_ppm:" + BASE)
                    .isEqualTo(alerts.get(1).getAlertId());
            assertThat(alerts.get(1).getValue()).isEqualTo(180.0);
            assertThat(alerts.get(1).getSourceTime()).isEqualTo(BASE + 7 * SECOND);
            assertThat(alerts.get(1).getPriority()).isEqualTo(Priority.URGENT);
        }
    }

    @Test
    void aNewExcursionAfterClearingIsANewEpisodeWithANewId() {
        try (RuleHarness h = harness("co-episodes", AirQualityConfig.defaults())) {
            h.send(reading("p-ep", "s1", "garage", Metric.co_ppm, 250, BASE));
            h.send(reading("p-ep", "s1", "garage", Metric.co_ppm, 20, BASE + SECOND));
            h.send(reading("p-ep", "s1", "garage", Metric.co_ppm, 260, BASE + 2 * SECOND));

            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).extracting(Alert::getState)
                    .containsExactly(AlertState.RAISED, AlertState.CLEARED, AlertState.RAISED);
            assertThat(alerts.get(2).getAlertId()).isEqualTo("GAS_CEILING:p-ep:s1:co_ppm:" + (BASE + 2 * SECOND))
                    .isNotEqualTo(alerts.get(0).getAlertId());
        }
    }

    @Test
    void oxygenClearsOnlyOnceBackInsideTheHysteresisBand() {
        try (RuleHarness h = harness("o2-hysteresis", AirQualityConfig.defaults())) {
            h.send(reading("p-o2b", "s1", "tank", Metric.o2_pct, 19.0, BASE));
            h.send(reading("p-o2b", "s1", "tank", Metric.o2_pct, 19.6, BASE + SECOND));
            h.send(reading("p-o2b", "s1", "tank", Metric.o2_pct, 19.4, BASE + 2 * SECOND));
            h.send(reading("p-o2b", "s1", "tank", Metric.o2_pct, 19.79, BASE + 3 * SECOND));
            assertThat(ceilings(h.alerts())).extracting(Alert::getState).containsExactly(AlertState.RAISED);

            h.send(reading("p-o2b", "s1", "tank", Metric.o2_pct, 19.8, BASE + 4 * SECOND));

            assertThat(ceilings(h.alerts())).extracting(Alert::getState, Alert::getAlertId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertState.CLEARED, "GAS_CEILING:p-o2b:s1:o2_pct.low:" + BASE));
        }
    }

    @Test
    void aZoneRollUpIsOpenWhileAnySensorOfTheZoneIsInAnEpisode() {
        try (RuleHarness h = harness("h2s-zone", AirQualityConfig.defaults())) {
            // Given two sensors of one zone crossing the H2S ceiling (20 ppm), one after the other
            h.send(reading("p-z", "a", "pit", Metric.h2s_ppm, 25, BASE));
            h.send(reading("p-z", "b", "pit", Metric.h2s_ppm, 30, BASE + SECOND));
            // When the first clears (<= 18 ppm), the zone stays open; when the second clears, it closes
            h.send(reading("p-z", "a", "pit", Metric.h2s_ppm, 5, BASE + 2 * SECOND));
            h.send(reading("p-z", "b", "pit", Metric.h2s_ppm, 4, BASE + 3 * SECOND));

            final List<Alert> zone = h.alerts().stream().filter(a -> a.getRule().equals("air.h2s.ceiling.zone")).toList();
            assertThat(zone).extracting(Alert::getState).containsExactly(AlertState.RAISED, AlertState.CLEARED);
            assertThat(zone).extracting(Alert::getAlertId).containsOnly("GAS_CEILING:p-z:zone=pit:h2s_ppm:" + BASE);
            assertThat(zone.get(1).getSourceTime()).isEqualTo(BASE + 3 * SECOND);
            assertThat(zone).extracting(Alert::getZone).containsOnly("pit");
        }
    }

    @Test
    void anOlderReadingArrivingAfterANewerOneNeitherClearsNorRaisesAndIsCounted() {
        try (RuleHarness h = harness("ceiling-order", AirQualityConfig.defaults())) {
            h.send(reading("p-ord", "s1", "garage", Metric.co_ppm, 250, BASE + 10 * SECOND));
            assertThat(ceilings(h.alerts())).hasSize(1);

            // When a stale "safe" reading and an exact duplicate arrive
            h.send(reading("p-ord", "s1", "garage", Metric.co_ppm, 10, BASE + 5 * SECOND));
            h.send(reading("p-ord", "s1", "garage", Metric.co_ppm, 250, BASE + 10 * SECOND));

            // Then the live hazard is not cleared, and both are counted
            assertThat(ceilings(h.alerts())).isEmpty();
            assertThat(h.counter(CeilingProcessor.FAMILY, "out-of-order-readings-ignored")).isEqualTo(2.0);
        }
    }

    @Test
    void aWearableAlertNamesTheWorker() {
        try (RuleHarness h = harness("wearable", AirQualityConfig.defaults())) {
            h.send(worn("p-w", "pgm-7", "w-42", "basement", Metric.co_ppm, 400, BASE));

            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getWorkerId()).isEqualTo("w-42");
            assertThat(alerts.get(0).getAlertId()).isEqualTo("GAS_CEILING:p-w:pgm-7:co_ppm:" + BASE);
        }
    }

    @Test
    void aProjectCanSelectTheNioshH2sCeilingAndOthersKeepTheOshaOne() {
        // Given project "strict" on the NIOSH 10 ppm H2S ceiling; everyone else on OSHA's 20 ppm
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of("project.strict.air.h2s.ceiling.basis", "NIOSH"));
        try (RuleHarness h = harness("h2s-basis", config)) {
            // When both see 15 ppm
            h.send(reading("strict", "s1", "pit", Metric.h2s_ppm, 15, BASE));
            h.send(reading("lenient", "s1", "pit", Metric.h2s_ppm, 15, BASE));

            // Then only the strict project is alerted, citing NIOSH
            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).extracting(Alert::getProjectId).containsExactly("strict");
            assertThat(alerts.get(0).getLimit()).isEqualTo(10.0);
            assertThat(alerts.get(0).getLimitSource()).contains("NIOSH");
        }
    }

    @Test
    void aProjectOverrideOfALimitNamesTheSettingAsTheSource() {
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of("project.tunnel.air.co.ceiling.limit", "100"));
        try (RuleHarness h = harness("co-override", config)) {
            h.send(reading("tunnel", "s1", "bore", Metric.co_ppm, 120, BASE));
            h.send(reading("bridge", "s1", "deck", Metric.co_ppm, 120, BASE));

            final List<Alert> alerts = ceilings(h.alerts());
            assertThat(alerts).extracting(Alert::getProjectId).containsExactly("tunnel");
            assertThat(alerts.get(0).getLimitSource())
                    .startsWith("site setting project.tunnel.air.co.ceiling.limit=100")
                    .contains("NIOSH Pocket Guide");
        }
    }
}
