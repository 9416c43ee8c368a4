package io.sitewire.streams.air;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AirQualityConfigTest {

    @Test
    void defaultsComeFromTheCitedSources() {
        final AirQualityConfig.Limits d = AirQualityConfig.defaults().limitsFor("any");

        assertThat(d.rule("air.o2.low")).satisfies(r -> {
            assertThat(r.limit()).isEqualTo(19.5);
            assertThat(r.clearAt()).isEqualTo(19.8);
            assertThat(r.priority()).isEqualTo(Priority.EMERGENCY);
            assertThat(r.limitSource()).contains("1910.146");
        });
        assertThat(d.rule("air.o2.high").clearAt()).isEqualTo(23.2);
        assertThat(d.rule("air.lel.ceiling").inclusive()).isTrue();
        assertThat(d.rule("air.co.ceiling")).satisfies(r -> {
            assertThat(r.limit()).isEqualTo(200);
            assertThat(r.clearAt()).isEqualTo(180);
            assertThat(r.priority()).isEqualTo(Priority.URGENT);
        });
        assertThat(d.rule("air.h2s.ceiling").limit()).isEqualTo(20);
        assertThat(d.rule("air.h2s.stel")).satisfies(r -> {
            assertThat(r.window()).isEqualTo(Duration.ofMinutes(15));
            assertThat(r.type()).isEqualTo(AlertType.GAS_SHORT_TERM);
            assertThat(r.limitSource()).contains("ACGIH");
        });
        assertThat(d.rule("air.co.twa").limit()).isEqualTo(50);
        assertThat(d.rule("air.h2s.twa").limitSource()).contains("1926.55");
        assertThat(d.rule("air.silica.pel").priority()).isEqualTo(Priority.HIGH);
        assertThat(d.rule("air.silica.action").priority()).isEqualTo(Priority.NORMAL);
        assertThat(d.rule("air.pm25.who").priority()).isEqualTo(Priority.LOW);
        assertThat(d.rule("air.pm10.epa").limit()).isEqualTo(150);
        assertThat(d.rules()).allSatisfy(r -> assertThat(r.limitSource()).isNotBlank());
        assertThat(d.ceilings(Metric.o2_pct)).hasSize(2);
        assertThat(d.windowed(Metric.silica_ugm3)).hasSize(2);
        assertThat(d.longestWindowMs(Metric.pm25_ugm3)).isEqualTo(Duration.ofHours(24).toMillis());
        assertThat(d.zoneAggregate()).isEqualTo(AirQualityConfig.ZoneAggregate.MAX);
        final AirQualityConfig c = AirQualityConfig.defaults();
        assertThat(c.grace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.step()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theNioshBasisSwitchesTheCoTwaAndTheH2sCeiling() {
        final AirQualityConfig.Limits l = AirQualityConfig.fromProperties(Map.of(
                "air.co.twa.basis", "niosh", "air.h2s.ceiling.basis", "NIOSH")).limitsFor("x");

        assertThat(l.rule("air.co.twa").limit()).isEqualTo(35);
        assertThat(l.rule("air.co.twa").limitSource()).contains("NIOSH");
        assertThat(l.rule("air.h2s.ceiling").limit()).isEqualTo(10);
        assertThat(l.rule("air.h2s.ceiling").clearAt()).isEqualTo(9);
    }

    @Test
    void aProjectOverridesTheGlobalSettingWhichOverridesTheDefault() {
        final AirQualityConfig c = AirQualityConfig.fromProperties(Map.of(
                "air.co.ceiling.limit", "150",
                "project.tunnel-7.air.co.ceiling.limit", "100",
                "project.tunnel-7.air.co.ceiling.priority", "emergency",
                "air.hysteresis.fraction", "0.8",
                "unrelated.key", "ignored"));

        assertThat(c.limitsFor("tunnel-7").rule("air.co.ceiling")).satisfies(r -> {
            assertThat(r.limit()).isEqualTo(100);
            assertThat(r.clearAt()).isEqualTo(80);
            assertThat(r.priority()).isEqualTo(Priority.EMERGENCY);
            assertThat(r.limitSource()).startsWith("site setting project.tunnel-7.air.co.ceiling.limit=100");
        });
        assertThat(c.limitsFor("other").rule("air.co.ceiling")).satisfies(r -> {
            assertThat(r.limit()).isEqualTo(150);
            assertThat(r.clearAt()).isEqualTo(120);
            assertThat(r.priority()).isEqualTo(Priority.URGENT);
            assertThat(r.limitSource()).startsWith("site setting air.co.ceiling.limit=150");
        });
    }

    @Test
    void mistakesAreRejectedWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("air.co.celing.limit", "100")))
                .hasMessageContaining("air.co.celing.limit").hasMessageContaining("air.co.ceiling.limit");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("air.co.ceiling.limit", "lots")))
                .hasMessageContaining("air.co.ceiling.limit must be a number");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("project.p.air.co.ceiling.clear", "250")))
                .hasMessageContaining("air.co.ceiling").hasMessageContaining("flap");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("project.p.air.grace", "5m")))
                .hasMessageContaining("cannot be set per project");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("air.h2s.stel.window", "90s")))
                .hasMessageContaining("multiple of air.step");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("air.o2.hysteresis", "0")))
                .hasMessageContaining("air.o2.hysteresis");
        assertThatThrownBy(() -> AirQualityConfig.fromProperties(Map.of("air.co.twa.basis", "ACGIH")))
                .hasMessageContaining("OSHA, NIOSH");
    }

    @Test
    void timingKeysAcceptIsoAndShortDurations() {
        final AirQualityConfig c = AirQualityConfig.fromProperties(Map.of(
                "air.grace", "PT90S", "air.step", "30s", "air.max-sample-gap", "5m", "air.max-future-skew", "1h"));

        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.step()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxSampleGap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxFutureSkew()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void breachAndClearComparisonsFollowTheRuleDirectionAndInclusiveness() {
        final AirQualityConfig.Limits d = AirQualityConfig.defaults().limitsFor("any");
        final AirRule low = d.rule("air.o2.low");
        assertThat(low.breaches(19.5)).isFalse();
        assertThat(low.breaches(19.4999)).isTrue();
        assertThat(low.clears(19.7999)).isFalse();
        assertThat(low.clears(19.8)).isTrue();
        final AirRule lel = d.rule("air.lel.ceiling");
        assertThat(lel.breaches(10)).isTrue();
        assertThat(lel.breaches(9.9999)).isFalse();
        final AirRule co = d.rule("air.co.ceiling");
        assertThat(co.breaches(200)).isFalse();
        assertThat(co.breaches(200.0001)).isTrue();
        // an average computed as 50.000000000001 equals the PEL: not exceeding it
        assertThat(d.rule("air.co.twa").breaches(50.000000000001)).isFalse();
        assertThat(co.clears(180.0)).isTrue();
        assertThat(co.clears(180.01)).isFalse();
    }
}
