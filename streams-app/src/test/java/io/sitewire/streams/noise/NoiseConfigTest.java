package io.sitewire.streams.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sitewire.events.Priority;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoiseConfigTest {

    private static final double HOUR_MS = 3_600_000;

    @Test
    void oshaAllowedTimesFollowTheFiveDecibelExchangeRate() {
        final NoiseConfig.Limits osha = NoiseConfig.defaults().limitsFor("p");

        // 29 CFR 1910.95 Table G-16: 90 dBA 8 h, 95 dBA 4 h, 100 dBA 2 h, 85 dBA 16 h
        assertThat(osha.allowedMs(90)).isCloseTo(8 * HOUR_MS, within(1e-6));
        assertThat(osha.allowedMs(95)).isCloseTo(4 * HOUR_MS, within(1e-6));
        assertThat(osha.allowedMs(100)).isCloseTo(2 * HOUR_MS, within(1e-6));
        assertThat(osha.allowedMs(85)).isCloseTo(16 * HOUR_MS, within(1e-6));
        assertThat(osha.doseIncrement(95, (long) (2 * HOUR_MS))).isCloseTo(50, within(1e-9));
        assertThat(osha.doseIncrement(79.9, (long) HOUR_MS)).isZero();
        assertThat(osha.doseIncrement(80, (long) HOUR_MS)).isCloseTo(100.0 / 32, within(1e-9));
        assertThat(osha.equivalentLevel(50)).isCloseTo(85, within(1e-9));
        assertThat(osha.levels()).extracting(NoiseConfig.DoseLevel::dose, NoiseConfig.DoseLevel::priority)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(50.0, Priority.NORMAL),
                        org.assertj.core.groups.Tuple.tuple(100.0, Priority.HIGH));
    }

    @Test
    void nioshAllowedTimesFollowTheThreeDecibelExchangeRate() {
        final NoiseConfig.Limits niosh = NoiseConfig.fromProperties(Map.of("noise.standard", "niosh")).limitsFor("p");

        // NIOSH 98-126: 85 dBA 8 h, 88 dBA 4 h, 94 dBA 1 h, 100 dBA 15 min
        assertThat(niosh.allowedMs(85)).isCloseTo(8 * HOUR_MS, within(1e-6));
        assertThat(niosh.allowedMs(88)).isCloseTo(4 * HOUR_MS, within(1e-6));
        assertThat(niosh.allowedMs(94)).isCloseTo(HOUR_MS, within(1e-6));
        assertThat(niosh.allowedMs(100)).isCloseTo(0.25 * HOUR_MS, within(1e-6));
        assertThat(niosh.levels().get(1).limitSource()).contains("NIOSH 98-126");
    }

    @Test
    void shiftsAreLocalDaysStartingAtTheConfiguredTime() {
        final NoiseConfig.Limits l = NoiseConfig.fromProperties(Map.of(
                "noise.shift.time-zone", "Europe/Berlin", "noise.shift.start", "06:00", "noise.shift.length", "12h")).limitsFor("p");

        // 2026-03-02 05:30 Berlin (UTC+1) is in the night shift that began 18:00 the day before
        final long t = Instant.parse("2026-03-02T04:30:00Z").toEpochMilli();
        final long[] shift = l.shiftOf(t);
        assertThat(Instant.ofEpochMilli(shift[0])).isEqualTo(Instant.parse("2026-03-01T17:00:00Z"));
        assertThat(Instant.ofEpochMilli(shift[1])).isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));
        // and across the spring-forward night (2026-03-29) a shift still contains its instant
        for (long u = Instant.parse("2026-03-28T20:00:00Z").toEpochMilli(); u < Instant.parse("2026-03-30T08:00:00Z").toEpochMilli(); u += 600_000) {
            final long[] s = l.shiftOf(u);
            assertThat(s[0]).isLessThanOrEqualTo(u);
            assertThat(s[1]).isGreaterThan(u);
        }
        assertThat(l.shiftZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void projectOverridesAndMistakes() {
        final NoiseConfig c = NoiseConfig.fromProperties(Map.of(
                "project.quiet.noise.dose.action.dose", "25", "project.quiet.noise.dose.action.priority", "high"));
        assertThat(c.limitsFor("quiet").levels().get(0).dose()).isEqualTo(25);
        assertThat(c.limitsFor("quiet").levels().get(0).priority()).isEqualTo(Priority.HIGH);
        assertThat(c.limitsFor("quiet").levels().get(0).limitSource()).startsWith("site setting project.quiet.noise.dose.action.dose=25");
        assertThat(c.limitsFor("loud").levels().get(0).dose()).isEqualTo(50);
        assertThat(c.maxSampleGap()).isEqualTo(Duration.ofSeconds(60));

        assertThatThrownBy(() -> NoiseConfig.fromProperties(Map.of("noise.shift.length", "7h"))).hasMessageContaining("divide 24 h");
        assertThatThrownBy(() -> NoiseConfig.fromProperties(Map.of("noise.standrd", "OSHA"))).hasMessageContaining("noise.standrd");
        assertThatThrownBy(() -> NoiseConfig.fromProperties(Map.of("noise.standard", "ISO"))).hasMessageContaining("OSHA or NIOSH");
        assertThatThrownBy(() -> NoiseConfig.fromProperties(Map.of("project.p.noise.shift.time-zone", "Mars/Olympus")))
                .hasMessageContaining("project.p.noise.shift.time-zone");
        assertThatThrownBy(() -> NoiseConfig.fromProperties(Map.of("project.p.noise.grace", "1m")))
                .hasMessageContaining("cannot be set per project");
    }
}
