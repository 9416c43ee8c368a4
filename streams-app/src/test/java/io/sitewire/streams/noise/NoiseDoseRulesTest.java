package io.sitewire.streams.noise;

import static io.sitewire.streams.air.support.RuleHarness.BASE;
import static io.sitewire.streams.air.support.RuleHarness.HOUR;
import static io.sitewire.streams.air.support.RuleHarness.MINUTE;
import static io.sitewire.streams.air.support.RuleHarness.SECOND;
import static io.sitewire.streams.air.support.RuleHarness.reading;
import static io.sitewire.streams.air.support.RuleHarness.worn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.support.RuleHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Noise dose per worker and per zone: OSHA and NIOSH methods, per-shift reset, event-time ordering. */
class NoiseDoseRulesTest {

    private static RuleHarness harness(final String test, final NoiseConfig config) {
        return new RuleHarness(test, (readings, registry) -> NoiseRules.build(readings, config, registry));
    }

    /** One dosimeter reading a minute at {@code dba} for {@code minutes} minutes from {@code from}. */
    private static void steady(final RuleHarness h, final String project, final String worker, final double dba,
            final long from, final int minutes) {
        for (int k = 0; k < minutes; k++) {
            h.send(worn(project, "dos-" + worker, worker, "deck", Metric.noise_dba, dba, from + k * MINUTE));
        }
    }

    @Test
    void oshaDoseReachesHalfAfterTwoHoursAndFullAfterFourAt95Dba() {
        try (RuleHarness h = harness("osha-95", NoiseConfig.defaults())) {
            // Given 95 dBA: T = 8 h / 2^((95 - 90) / 5) = 4 h, so 2 h make 50 % and 4 h make 100 %
            steady(h, "p-osha", "w1", 95, BASE, 4 * 60 + 5);
            final List<Alert> alerts = h.alerts();

            // Then the action level is reached by the reading of minute 119 (the one covering 1:59-2:00)
            assertThat(alerts).hasSize(2);
            final Alert action = alerts.get(0);
            assertThat(action.getType()).isEqualTo(AlertType.NOISE_DOSE);
            assertThat(action.getRule()).isEqualTo("noise.dose.action");
            assertThat(action.getPriority()).isEqualTo(Priority.NORMAL);
            assertThat(action.getState()).isEqualTo(AlertState.RAISED);
            assertThat(action.getSourceTime()).isEqualTo(BASE + 119 * MINUTE);
            assertThat(action.getValue()).isCloseTo(50.0, within(1e-6));
            assertThat(action.getLimit()).isEqualTo(50.0);
            assertThat(action.getWorkerId()).isEqualTo("w1");
            assertThat(action.getZone()).isEqualTo("deck");
            assertThat(action.getMetric()).isEqualTo("noise_dose_pct");
            assertThat(action.getAlertId()).isEqualTo("NOISE_DOSE:p-osha:w1:noise_dose_pct.action:" + (BASE + 119 * MINUTE));
            assertThat(action.getLimitSource()).contains("1910.95(c)");
            assertThat(action.getMessage()).contains(Instant.ofEpochMilli(BASE + 2 * HOUR).toString()).contains("85.0 dBA");
            // And 100 % (the PEL) by the reading of minute 239
            final Alert pel = alerts.get(1);
            assertThat(pel.getRule()).isEqualTo("noise.dose.pel");
            assertThat(pel.getPriority()).isEqualTo(Priority.HIGH);
            assertThat(pel.getSourceTime()).isEqualTo(BASE + 239 * MINUTE);
            assertThat(pel.getValue()).isCloseTo(100.0, within(1e-6));
            assertThat(pel.getAlertId()).isEqualTo("NOISE_DOSE:p-osha:w1:noise_dose_pct.pel:" + (BASE + 239 * MINUTE));
        }
    }

    @Test
    void oshaActionLevelIsEightHoursAt85DbaAndNothingBelowTheThresholdCounts() {
        try (RuleHarness h = harness("osha-85", NoiseConfig.defaults())) {
            // Given one worker at 85 dBA (T = 16 h) and one at 79 dBA (below the 80 dBA threshold), for 8 h
            for (int k = 0; k < 8 * 60 + 5; k++) {
                h.send(worn("p-85", "dos-loud", "loud", "deck", Metric.noise_dba, 85, BASE + k * MINUTE));
                h.send(worn("p-85", "dos-quiet", "quiet", "deck", Metric.noise_dba, 79, BASE + k * MINUTE));
            }

            // Then only the first reaches 50 %, after exactly 8 h
            assertThat(h.alerts()).extracting(Alert::getWorkerId, Alert::getRule, Alert::getSourceTime)
                    .containsExactly(tuple("loud", "noise.dose.action", BASE + 479 * MINUTE));
        }
    }

    @Test
    void nioshDoseWithA3DbExchangeRateIsSelectablePerProject() {
        // Given project "niosh" on the NIOSH method, "osha" on the default
        final NoiseConfig config = NoiseConfig.fromProperties(Map.of("project.niosh.noise.standard", "NIOSH"));
        try (RuleHarness h = harness("niosh-91", config)) {
            // When both have a worker at 91 dBA for 2 h 5 min: NIOSH T = 8 h / 2^((91 - 85) / 3) = 2 h,
            // OSHA T = 8 h / 2^(1/5) = 6.96 h (2 h = 28.7 %)
            steady(h, "niosh", "w1", 91, BASE, 125);
            steady(h, "osha", "w1", 91, BASE, 125);

            // Then NIOSH reaches 50 % after 1 h and 100 % after 2 h; OSHA nothing yet
            final List<Alert> alerts = h.alerts();
            assertThat(alerts).extracting(Alert::getProjectId, Alert::getRule, Alert::getSourceTime).containsExactly(
                    tuple("niosh", "noise.dose.action", BASE + 59 * MINUTE),
                    tuple("niosh", "noise.dose.pel", BASE + 119 * MINUTE));
            assertThat(alerts.get(1).getLimitSource()).contains("NIOSH 98-126");
        }
    }

    @Test
    void theDoseRestartsWithTheShiftAndOpenEpisodesClearAtTheBoundary() {
        try (RuleHarness h = harness("shift", NoiseConfig.defaults())) {
            // Given 100 dBA (OSHA T = 2 h) from 22:00 UTC to 00:30, shifts are calendar days in UTC
            final long start = Instant.parse("2026-03-02T22:00:00Z").toEpochMilli();
            final long midnight = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();
            steady(h, "p-shift", "w1", 100, start, 150);
            final List<Alert> alerts = h.alerts();

            // Then 50 % at 23:00 (reading 22:59), 100 % at midnight (reading 23:59), both cleared at midnight, and
            // the next half hour (25 %) raises nothing
            assertThat(alerts).extracting(Alert::getState, Alert::getRule, Alert::getSourceTime).containsExactly(
                    tuple(AlertState.RAISED, "noise.dose.action", start + 59 * MINUTE),
                    tuple(AlertState.RAISED, "noise.dose.pel", start + 119 * MINUTE),
                    tuple(AlertState.CLEARED, "noise.dose.action", midnight),
                    tuple(AlertState.CLEARED, "noise.dose.pel", midnight));
            assertThat(alerts.get(2).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
            assertThat(alerts.get(3).getAlertId()).isEqualTo(alerts.get(1).getAlertId());
            assertThat(alerts.get(3).getPriority()).isEqualTo(Priority.HIGH);
            assertThat(alerts.get(3).getValue()).isCloseTo(100.0, within(1e-6));
        }
    }

    @Test
    void aProjectShiftFollowsItsLocalTimeZone() {
        // Given a site in New York whose shift day starts 06:00 local (11:00 UTC in March before DST)
        final NoiseConfig config = NoiseConfig.fromProperties(Map.of(
                "project.ny.noise.shift.time-zone", "America/New_York", "project.ny.noise.shift.start", "06:00"));
        try (RuleHarness h = harness("shift-zone", config)) {
            // When a worker at 100 dBA crosses 50 % at 10:30 UTC and keeps going past 11:00 UTC
            final long from = Instant.parse("2026-03-02T09:30:00Z").toEpochMilli();
            steady(h, "ny", "w1", 100, from, 100);

            // Then the action level clears at 11:00 UTC, the local shift start
            assertThat(h.alerts()).extracting(Alert::getState, Alert::getSourceTime).containsExactly(
                    tuple(AlertState.RAISED, from + 59 * MINUTE),
                    tuple(AlertState.CLEARED, Instant.parse("2026-03-02T11:00:00Z").toEpochMilli()));
        }
    }

    @Test
    void fixedMetersRaiseOneZoneAlertWhileAnyMeterOfTheZoneIsOverTheLevel() {
        try (RuleHarness h = harness("zone-meters", NoiseConfig.defaults())) {
            // Given two fixed meters (no worker) in zone "saw": 100 dBA from 20:00, and 100 dBA from 20:30
            final long from = Instant.parse("2026-03-02T20:00:00Z").toEpochMilli();
            for (int k = 0; k < 4 * 60 + 30; k++) {
                final long t = from + k * MINUTE;
                h.send(reading("p-zone", "m1", "saw", Metric.noise_dba, 100, t));
                h.send(reading("p-zone", "m2", "saw", Metric.noise_dba, k >= 30 ? 100 : 70, t));
            }
            final List<Alert> alerts = h.alerts();

            // Then one zone alert per level (m1 crosses first), cleared once at the shift change (midnight UTC)
            final long midnight = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();
            assertThat(alerts).extracting(Alert::getState, Alert::getAlertId, Alert::getSourceTime).containsExactly(
                    tuple(AlertState.RAISED, "NOISE_DOSE:p-zone:zone=saw:noise_dose_pct.action:" + (from + 59 * MINUTE), from + 59 * MINUTE),
                    tuple(AlertState.RAISED, "NOISE_DOSE:p-zone:zone=saw:noise_dose_pct.pel:" + (from + 119 * MINUTE), from + 119 * MINUTE),
                    tuple(AlertState.CLEARED, "NOISE_DOSE:p-zone:zone=saw:noise_dose_pct.action:" + (from + 59 * MINUTE), midnight),
                    tuple(AlertState.CLEARED, "NOISE_DOSE:p-zone:zone=saw:noise_dose_pct.pel:" + (from + 119 * MINUTE), midnight));
            assertThat(alerts).extracting(Alert::getRule).containsOnly("noise.dose.action.zone", "noise.dose.pel.zone");
            assertThat(alerts).extracting(Alert::getWorkerId).containsOnlyNulls();
        }
    }

    @Test
    void randomlyTimedReadingsShuffledWithinTheGraceGiveTheDosesAnIndependentSumPredicts() {
        final Random random = new Random(7L);
        // Given five workers with irregular readings (15-90 s apart, so some gaps exceed the 60 s cap) between 85 and 105 dBA
        final List<SensorReading> ordered = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            long t = BASE + random.nextInt(60_000);
            while (t < BASE + 6 * HOUR) {
                ordered.add(worn("p-rand", "dos" + w, "w" + w, "z" + (w % 2), Metric.noise_dba, 85 + 20 * random.nextDouble(), t));
                t += 15 * SECOND + random.nextInt(75_000);
            }
        }
        ordered.sort((x, y) -> Long.compare(x.getEventTime(), y.getEventTime()));
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
        final SensorReading flush = reading("p-rand", "clock", "z0", Metric.co_ppm, 0, BASE + 7 * HOUR);

        // When they arrive in order, and shuffled
        final List<Alert> inOrder;
        try (RuleHarness h = harness("noise-rand-a", NoiseConfig.defaults())) {
            h.sendAll(ordered);
            h.send(flush);
            inOrder = h.alerts().stream().map(RuleHarness::withoutRaisedAt).toList();
        }
        final List<Alert> outOfOrder;
        try (RuleHarness h = harness("noise-rand-b", NoiseConfig.defaults())) {
            h.sendAll(shuffled);
            h.send(flush);
            outOfOrder = h.alerts().stream().map(RuleHarness::withoutRaisedAt).toList();
        }

        // Then both match a straightforward computation: D = 100 Σ min(next - t, 60 s) / T(L), T(L) = 8 h / 2^((L-90)/5)
        final Map<String, List<SensorReading>> byWorker = new TreeMap<>();
        ordered.forEach(r -> byWorker.computeIfAbsent(r.getWorkerId(), k -> new ArrayList<>()).add(r));
        final List<String> expected = new ArrayList<>();
        byWorker.forEach((worker, rs) -> {
            double dose = 0;
            boolean half = false;
            boolean full = false;
            for (int i = 0; i < rs.size(); i++) {
                final long next = i + 1 < rs.size() ? rs.get(i + 1).getEventTime() : Long.MAX_VALUE;
                final long d = Math.min(next - rs.get(i).getEventTime(), 60_000);
                dose += 100.0 * d / (8 * HOUR / Math.pow(2, (rs.get(i).getValue() - 90) / 5));
                if (!half && dose >= 50) {
                    half = true;
                    expected.add(worker + " action " + rs.get(i).getEventTime());
                }
                if (!full && dose >= 100) {
                    full = true;
                    expected.add(worker + " pel " + rs.get(i).getEventTime());
                }
            }
        });
        assertThat(expected).hasSizeGreaterThanOrEqualTo(5);
        assertThat(inOrder).extracting(a -> a.getWorkerId() + " " + a.getRule().substring("noise.dose.".length()) + " " + a.getSourceTime())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(outOfOrder).isEqualTo(inOrder);
    }

    @Test
    void aReadingLaterThanTheGracePeriodAddsNoDoseAndIsCounted() {
        try (RuleHarness h = harness("noise-late", NoiseConfig.defaults())) {
            // Given 95 dBA for 2 h 5 min (the action level is reached by the reading of minute 119)
            steady(h, "p-nl", "w1", 95, BASE, 60);
            // When a 140 dBA reading dated minute 10 arrives at minute 60 (it would add 60 s / 28 s = 213 %)
            h.send(worn("p-nl", "dos-w1", "w1", "deck", Metric.noise_dba, 140, BASE + 10 * MINUTE + 30 * SECOND));
            steady(h, "p-nl", "w1", 95, BASE + 60 * MINUTE, 65);

            // Then the dose is unchanged by it, and it is counted
            assertThat(h.alerts()).extracting(Alert::getRule, Alert::getSourceTime)
                    .containsExactly(tuple("noise.dose.action", BASE + 119 * MINUTE));
            assertThat(h.counter(DoseProcessor.FAMILY, "late-readings-dropped")).isEqualTo(1.0);
        }
    }
}
