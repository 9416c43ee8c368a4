package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void theDefaultsAreValidAndDescribeTheDemoSite() {
        final SimulatorConfig config = SimulatorConfig.builder().build();
        assertThat(config.projectIds()).containsExactly("demo");
        assertThat(config.workers()).isEqualTo(200);
        assertThat(config.machines()).isEqualTo(8);
        assertThat(config.sensors()).isEqualTo(40);
        assertThat(config.speed()).isEqualTo(1.0);
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.incidents()).isEqualTo(IncidentSpec.DEFAULT_SCENARIO);
        assertThat(config.duration()).isZero();
        assertThat(config.effectivePositionsPerSecond()).isEqualTo(1.0);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        final SimulatorConfig.Builder bad = SimulatorConfig.builder()
                .projectIds(List.of("ok", "not/ok"))
                .workers(-1)
                .speed(0)
                .siteSize(100, 100)
                .sensorPeriod(Duration.ofMillis(10))
                .wearableFraction(2)
                .incidents(List.of(IncidentSpec.parse("fall@1m:elsewhere")));
        assertThatThrownBy(bad::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'not/ok' is not an id")
                .hasMessageContaining("workers must be between 0 and 100000, got -1")
                .hasMessageContaining("speed must be in (0, 10000], got 0.0")
                .hasMessageContaining("site width must be between 350")
                .hasMessageContaining("site depth must be between 240")
                .hasMessageContaining("sensor period must be between 100ms and 1h, got 10ms")
                .hasMessageContaining("wearable fraction must be within [0, 1], got 2.0")
                .hasMessageContaining("incident fall@1m:elsewhere: no simulated project 'elsewhere'");
    }

    @Test
    void aTargetRateSetsThePositionRateSoThatTheTotalMatches() {
        // Given a wanted 5000 events per wall second at speed 2 over two projects
        final SimulatorConfig config = SimulatorConfig.builder().projectIds(List.of("a", "b")).speed(2).targetRate(5000).build();

        // Then the position rate is derived and the expected wall rate is the target
        assertThat(config.effectivePositionsPerSecond()).isGreaterThan(1).isLessThan(SimulatorConfig.MAX_POSITIONS_PER_SECOND);
        assertThat(config.expectedEventsPerWallSecond()).isCloseTo(5000, Offset.offset(1e-6));
    }

    @Test
    void aTargetRateOutOfReachIsRefusedWithAHint() {
        assertThatThrownBy(() -> SimulatorConfig.builder().workers(10).targetRate(1_000_000).build())
                .hasMessageContaining("cannot be reached with 10 worker(s)").hasMessageContaining("--workers");
        assertThatThrownBy(() -> SimulatorConfig.builder().targetRate(10).build())
                .hasMessageContaining("cannot be reached");
    }

    @Test
    void toBuilderKeepsEveryField() {
        final SimulatorConfig config = SimulatorConfig.builder().projectIds(List.of("x")).origin(40.1, -73.2)
                .siteSize(500, 400).workers(3).machines(2).sensors(1).speed(3.5).seed(9).positionsPerSecond(2)
                .sensorPeriod(Duration.ofSeconds(7)).equipmentPeriod(Duration.ofSeconds(3)).wearableFraction(0.5)
                .shiftLength(Duration.ofHours(6)).startInShift(Duration.ofMinutes(5)).incidents(List.of())
                .duration(Duration.ofMinutes(2)).startTimeMs(123).maxInFlight(77).progressInterval(Duration.ZERO).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void incidentsParseWithOffsetAndOptionalProject() {
        assertThat(IncidentSpec.parse("crane-walk@60s"))
                .isEqualTo(new IncidentSpec(IncidentKind.CRANE_WALK, Duration.ofSeconds(60), Optional.empty()));
        assertThat(IncidentSpec.parse(" evacuation@7m:site-2 "))
                .isEqualTo(new IncidentSpec(IncidentKind.EVACUATION, Duration.ofMinutes(7), Optional.of("site-2")));
        assertThat(IncidentSpec.parse("co-buildup@1500ms").toString()).isEqualTo("co-buildup@1500ms");
        assertThatThrownBy(() -> IncidentSpec.parse("meteor@1m")).hasMessageContaining("unknown incident 'meteor'")
                .hasMessageContaining("crane-walk, co-buildup, fall, missing-worker, evacuation");
        assertThatThrownBy(() -> IncidentSpec.parse("fall")).hasMessageContaining("kind@offset");
        assertThatThrownBy(() -> IncidentSpec.parse("fall@soon")).hasMessageContaining("not a duration");
    }

    @Test
    void durationsReadUnitsAndIsoAndPrintBack() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("8h")).isEqualTo(Duration.ofHours(8));
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("0")).isZero();
        for (final String text : List.of("1500ms", "90s", "2m", "8h", "1d")) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("3w")).hasMessageContaining("not a duration");
    }
}
