package io.sitewire.streams.air;

import static io.sitewire.streams.air.support.RuleHarness.BASE;
import static io.sitewire.streams.air.support.RuleHarness.HOUR;
import static io.sitewire.streams.air.support.RuleHarness.MINUTE;
import static io.sitewire.streams.air.support.RuleHarness.SECOND;
import static io.sitewire.streams.air.support.RuleHarness.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.support.RuleHarness;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Windowed limits: time-weighted averages in event time, with grace for late readings and hysteresis. */
class AirWindowRulesTest {

    private static RuleHarness harness(final String test, final AirQualityConfig config) {
        return new RuleHarness(test, (readings, registry) -> AirQualityRules.build(readings, config, registry));
    }

    private static List<Alert> rule(final List<Alert> alerts, final String rule) {
        return alerts.stream().filter(a -> a.getRule().equals(rule)).toList();
    }

    private static List<Alert> windowed(final List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getType() != AlertType.GAS_CEILING).map(RuleHarness::withoutRaisedAt).toList();
    }

    @Test
    void eightHourTwaMatchesTheHandComputedValueAndClearsWhenItFallsBack() {
        try (RuleHarness h = harness("co-twa", AirQualityConfig.defaults())) {
            // Given CO at 100 ppm for 5 h, then 0 ppm, one reading a minute
            for (int k = 0; k <= 600; k++) {
                h.send(reading("p-twa", "s1", "garage", Metric.co_ppm, k < 300 ? 100 : 0, BASE + k * MINUTE));
            }
            final List<Alert> alerts = h.alerts();

            // Then the 8-h TWA = 100 ppm · k min / 480 min first exceeds 50 ppm (OSHA PEL) at k = 241 (at k = 240 it
            // equals the PEL, which is not exceeding it)
            final List<Alert> twa = rule(alerts, "air.co.twa");
            assertThat(twa).extracting(Alert::getState).containsExactly(AlertState.RAISED, AlertState.CLEARED);
            final Alert raised = twa.get(0);
            assertThat(raised.getType()).isEqualTo(AlertType.GAS_TWA);
            assertThat(raised.getPriority()).isEqualTo(Priority.HIGH);
            assertThat(raised.getSourceTime()).isEqualTo(BASE + 241 * MINUTE);
            assertThat(raised.getValue()).isCloseTo(100.0 * 241 / 480, within(1e-9));
            assertThat(raised.getLimit()).isEqualTo(50.0);
            assertThat(raised.getAlertId()).isEqualTo("GAS_TWA:p-twa:s1:co_ppm:" + (BASE + 241 * MINUTE));
            assertThat(raised.getLimitSource()).contains("OSHA PEL");
            // And once the window start passes the exposure, TWA = 100 · (780 - k) / 480 reaches 45 ppm (90 %) at k = 564
            final Alert cleared = twa.get(1);
            assertThat(cleared.getAlertId()).isEqualTo(raised.getAlertId());
            assertThat(cleared.getSourceTime()).isEqualTo(BASE + 564 * MINUTE);
            assertThat(cleared.getValue()).isCloseTo(45.0, within(1e-9));

            // And the zone roll-up (max of the zone's fixed sensors) follows the single sensor
            assertThat(rule(alerts, "air.co.twa.zone")).extracting(Alert::getAlertId, Alert::getSourceTime)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("GAS_TWA:p-twa:zone=garage:co_ppm:" + (BASE + 241 * MINUTE), BASE + 241 * MINUTE),
                            org.assertj.core.groups.Tuple.tuple("GAS_TWA:p-twa:zone=garage:co_ppm:" + (BASE + 241 * MINUTE), BASE + 564 * MINUTE));
            assertThat(rule(alerts, "air.co.ceiling")).isEmpty();
        }
    }

    @Test
    void irregularReadingsAreWeightedByTheTimeToTheNextReadingCappedAtTheMaxGap() {
        // Given a site whose H2S short-term limit is 1.5 ppm (clear at 1.35 ppm)
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of("project.p-irr.air.h2s.stel.limit", "1.5"));
        try (RuleHarness h = harness("h2s-irregular", config)) {
            // When H2S reads 10 ppm (for 30 s), 2 ppm (next reading 4.5 min later: counts 2 min, the max gap), 8 ppm
            // (then silence: 2 min), while an O2 monitor keeps the site's clock moving
            h.send(reading("p-irr", "h", "pit", Metric.h2s_ppm, 10, BASE));
            h.send(reading("p-irr", "h", "pit", Metric.h2s_ppm, 2, BASE + 30 * SECOND));
            h.send(reading("p-irr", "h", "pit", Metric.h2s_ppm, 8, BASE + 5 * MINUTE));
            for (int k = 0; k <= 20; k++) {
                h.send(reading("p-irr", "o2", "pit", Metric.o2_pct, 20.9, BASE + k * MINUTE));
            }

            // Then ∫ = 10·30 + 2·120 + 8·120 = 1500 ppm·s, over 15 min = 1.667 ppm from the window ending at 7 min;
            // from the window ending at 16 min the first minute (10·30 + 2·30 = 360) has left: 1140/900 = 1.267 ppm
            final List<Alert> stel = rule(h.alerts(), "air.h2s.stel");
            assertThat(stel).extracting(Alert::getState).containsExactly(AlertState.RAISED, AlertState.CLEARED);
            assertThat(stel.get(0).getType()).isEqualTo(AlertType.GAS_SHORT_TERM);
            assertThat(stel.get(0).getSourceTime()).isEqualTo(BASE + 7 * MINUTE);
            assertThat(stel.get(0).getValue()).isCloseTo(1500.0 / 900, within(1e-9));
            assertThat(stel.get(1).getSourceTime()).isEqualTo(BASE + 16 * MINUTE);
            assertThat(stel.get(1).getValue()).isCloseTo(1140.0 / 900, within(1e-9));
        }
    }

    @Test
    void aWindowIsEvaluatedOnlyOnceTheGracePeriodAfterItsEndHasPassed() {
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of("project.p-grace.air.h2s.stel.limit", "1"));
        try (RuleHarness h = harness("grace", config)) {
            // Given 6 ppm H2S from BASE: the 15-min average exceeds 1 ppm in the window ending BASE + 3 min (1.2 ppm)
            for (int k = 0; k <= 4; k++) {
                h.send(reading("p-grace", "h", "pit", Metric.h2s_ppm, 6, BASE + k * MINUTE));
            }
            // When the project's clock is 1 ms short of that end plus the 2-min grace
            h.send(reading("p-grace", "h", "pit", Metric.h2s_ppm, 6, BASE + 5 * MINUTE - 1));
            assertThat(rule(h.alerts(), "air.h2s.stel")).isEmpty();

            // Then the alert comes with the first reading at or past it
            h.send(reading("p-grace", "h", "pit", Metric.h2s_ppm, 6, BASE + 5 * MINUTE));
            final List<Alert> stel = rule(h.alerts(), "air.h2s.stel");
            assertThat(stel).hasSize(1);
            assertThat(stel.get(0).getSourceTime()).isEqualTo(BASE + 3 * MINUTE);
            assertThat(stel.get(0).getValue()).isCloseTo(6.0 * 3 / 15, within(1e-9));
        }
    }

    @Test
    void readingsShuffledWithinTheGracePeriodGiveTheSameAlerts() {
        // Given three H2S sensors in one zone, a reading each 15 s for 2 h, oscillating around the 5 ppm STEL; and a
        // 30-min "TWA" (site override) so the TWA path is exercised too
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of(
                "project.p-shuf.air.h2s.twa.window", "30m", "project.p-shuf.air.h2s.twa.limit", "5"));
        final Random random = new Random(20260302L);
        final List<SensorReading> ordered = new ArrayList<>();
        for (long t = BASE; t < BASE + 2 * HOUR; t += 15 * SECOND) {
            for (final String sensor : List.of("a", "b", "c")) {
                final double phase = sensor.charAt(0) - 'a';
                final double v = 5 + 4 * Math.sin(2 * Math.PI * (t - BASE) / (40.0 * MINUTE) + phase) + random.nextGaussian() * 0.7;
                ordered.add(reading("p-shuf", sensor, "shaft", Metric.h2s_ppm, Math.max(0, Math.min(15, v)), t + random.nextInt(1000)));
            }
        }
        ordered.sort((x, y) -> Long.compare(x.getEventTime(), y.getEventTime()));
        // Shuffled: within consecutive chunks spanning less than 90 s (< 2 min grace), any order
        final List<SensorReading> shuffled = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= ordered.size(); i++) {
            if (i == ordered.size() || ordered.get(i).getEventTime() - ordered.get(from).getEventTime() >= 90 * SECOND) {
                final List<SensorReading> chunk = new ArrayList<>(ordered.subList(from, i));
                Collections.shuffle(chunk, random);
                shuffled.addAll(chunk);
                from = i;
            }
        }
        assertThat(shuffled).isNotEqualTo(ordered).containsExactlyInAnyOrderElementsOf(ordered);
        final SensorReading flush = reading("p-shuf", "o2", "shaft", Metric.o2_pct, 20.9, BASE + 3 * HOUR);

        final List<Alert> inOrder;
        try (RuleHarness h = harness("shuffle-a", config)) {
            h.sendAll(ordered);
            h.send(flush);
            inOrder = windowed(h.alerts());
        }
        final List<Alert> outOfOrder;
        try (RuleHarness h = harness("shuffle-b", config)) {
            h.sendAll(shuffled);
            h.send(flush);
            outOfOrder = windowed(h.alerts());
            assertThat(h.counter(WindowProcessor.FAMILY, "late-readings-dropped")).isZero();
        }

        // Then both runs raise and clear the same episodes, per sensor and per zone, with the same values
        assertThat(inOrder).extracting(Alert::getRule)
                .contains("air.h2s.stel", "air.h2s.stel.zone", "air.h2s.twa", "air.h2s.twa.zone");
        assertThat(inOrder).extracting(Alert::getState).contains(AlertState.RAISED, AlertState.CLEARED);
        assertThat(outOfOrder).isEqualTo(inOrder);
    }

    @Test
    void aReadingLaterThanTheGracePeriodIsDroppedAndCounted() {
        final List<SensorReading> onTime = new ArrayList<>();
        for (int k = 0; k <= 40; k++) {
            onTime.add(reading("p-late", "h", "pit", Metric.h2s_ppm, k < 30 ? 10 : 0, BASE + k * MINUTE));
        }
        final List<Alert> expected;
        try (RuleHarness h = harness("late-a", AirQualityConfig.defaults())) {
            h.sendAll(onTime);
            expected = windowed(h.alerts());
        }
        assertThat(expected).isNotEmpty();

        try (RuleHarness h = harness("late-b", AirQualityConfig.defaults())) {
            // Given the first 30 minutes
            h.sendAll(onTime.subList(0, 31));
            // When a 1000 ppm reading dated minute 5 arrives at minute 30 (25 min late; grace 2 min)
            h.send(reading("p-late", "h", "pit", Metric.h2s_ppm, 1000, BASE + 5 * MINUTE + 30 * SECOND));
            h.sendAll(onTime.subList(31, onTime.size()));

            // Then it changes no average, and it is counted
            assertThat(windowed(h.alerts())).isEqualTo(expected);
            assertThat(h.counter(WindowProcessor.FAMILY, "late-readings-dropped")).isEqualTo(1.0);
        }
    }

    @Test
    void aReadingDatedInTheFutureIsDroppedAndDoesNotMakeTheSiteLate() {
        try (RuleHarness h = harness("future", AirQualityConfig.defaults())) {
            // Given a wall clock at BASE + 24 h; a reading dated 10 minutes after it (a broken gateway clock)
            h.send(reading("p-fut", "bad", "pit", Metric.h2s_ppm, 3, BASE + 24 * HOUR + 10 * MINUTE));
            // When the site's other readings continue, 30 minutes of 10 ppm
            for (int k = 0; k <= 30; k++) {
                h.send(reading("p-fut", "h", "pit", Metric.h2s_ppm, 10, BASE + k * MINUTE));
            }

            // Then they are used (the STEL is exceeded) and only the future one is counted
            assertThat(rule(h.alerts(), "air.h2s.stel")).isNotEmpty();
            assertThat(h.counter(WindowProcessor.FAMILY, "future-readings-dropped")).isEqualTo(1.0);
            assertThat(h.counter(WindowProcessor.FAMILY, "late-readings-dropped")).isZero();
        }
    }

    @Test
    void theZoneAggregateIsTheMaximumByDefaultAndTheMeanWhereAProjectSaysSo() {
        final AirQualityConfig config = AirQualityConfig.fromProperties(Map.of("project.p-mean.air.zone.aggregate", "mean"));
        try (RuleHarness h = harness("zone-aggregate", config)) {
            // Given, in each of two projects, two fixed sensors of one zone at 8 and 2 ppm H2S for 30 min
            for (int k = 0; k <= 30; k++) {
                for (final String p : List.of("p-max", "p-mean")) {
                    h.send(reading(p, "a", "z", Metric.h2s_ppm, 8, BASE + k * MINUTE));
                    h.send(reading(p, "b", "z", Metric.h2s_ppm, 2, BASE + k * MINUTE));
                }
            }
            final List<Alert> alerts = h.alerts();

            // Then sensor a exceeds the 5 ppm STEL in both projects; the zone only where the max is used (mean = 5)
            assertThat(rule(alerts, "air.h2s.stel")).extracting(Alert::getProjectId, Alert::getAlertId)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("p-max", "GAS_SHORT_TERM:p-max:a:h2s_ppm:" + (BASE + 10 * MINUTE)),
                            org.assertj.core.groups.Tuple.tuple("p-mean", "GAS_SHORT_TERM:p-mean:a:h2s_ppm:" + (BASE + 10 * MINUTE)));
            assertThat(rule(alerts, "air.h2s.stel.zone")).extracting(Alert::getProjectId).containsExactly("p-max");
        }
    }

    @Test
    void silicaRaisesTheActionLevelAndThePelAsSeparateAlerts() {
        try (RuleHarness h = harness("silica", AirQualityConfig.defaults())) {
            // Given respirable silica at 60 µg/m³, one reading a minute, for 7 h
            for (int k = 0; k <= 7 * 60 + 3; k++) {
                h.send(reading("p-si", "cutter", "slab", Metric.silica_ugm3, 60, BASE + k * MINUTE));
            }
            final List<Alert> alerts = h.alerts();

            // Then TWA = 60 · k / 480 reaches the 25 µg/m³ action level ("at or above") at k = 200 (NORMAL) and
            // exceeds the 50 µg/m³ PEL at k = 401 (HIGH), with distinct ids
            final List<Alert> action = rule(alerts, "air.silica.action");
            assertThat(action).hasSize(1);
            assertThat(action.get(0).getAlertId()).isEqualTo("DUST_TWA:p-si:cutter:silica_ugm3.action:" + (BASE + 200 * MINUTE));
            assertThat(action.get(0).getPriority()).isEqualTo(Priority.NORMAL);
            assertThat(action.get(0).getValue()).isCloseTo(25.0, within(1e-9));
            final List<Alert> pel = rule(alerts, "air.silica.pel");
            assertThat(pel).hasSize(1);
            assertThat(pel.get(0).getAlertId()).isEqualTo("DUST_TWA:p-si:cutter:silica_ugm3.pel:" + (BASE + 401 * MINUTE));
            assertThat(pel.get(0).getPriority()).isEqualTo(Priority.HIGH);
            assertThat(pel.get(0).getLimitSource()).contains("1926.1153");
        }
    }

    @Test
    void fineDustAgainst24HourGuidanceIsInformational() {
        try (RuleHarness h = harness("pm25", AirQualityConfig.defaults())) {
            // Given PM2.5 at 40 µg/m³, one reading a minute, for 22 h
            for (int k = 0; k <= 22 * 60; k++) {
                h.send(reading("p-pm", "m", "yard", Metric.pm25_ugm3, 40, BASE + k * MINUTE));
            }
            final List<Alert> alerts = h.alerts();

            // Then the 24-h average 40 · k / 1440 passes WHO's 15 µg/m³ at k = 541 (LOW) and EPA's 35 at k = 1261 (NORMAL)
            assertThat(rule(alerts, "air.pm25.who")).extracting(Alert::getSourceTime, Alert::getPriority)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(BASE + 541 * MINUTE, Priority.LOW));
            assertThat(rule(alerts, "air.pm25.epa")).extracting(Alert::getSourceTime, Alert::getPriority)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(BASE + 1261 * MINUTE, Priority.NORMAL));
        }
    }
}
