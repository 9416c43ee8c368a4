package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.EventValidation;
import io.sitewire.schemas.json.AvroJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorMainTest {

    private static SimulatorMain parse(final String... args) {
        final SimulatorMain main = new SimulatorMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void optionsBecomeTheConfig() {
        final SimulatorConfig config = parse("--bootstrap-servers", "b:9092", "--registry-url", "http://r:8081",
                "--projects", "a,b", "--origin", "40.7,-74.0", "--site-size", "500x350", "--workers", "50",
                "--machines", "4", "--sensors", "10", "--speed", "2.5", "--seed", "7", "--positions-per-second", "3",
                "--sensor-period", "10s", "--equipment-period", "1s", "--wearables", "0.5", "--shift", "6h",
                "--start-in-shift", "5m", "--incident", "fall@30s:b", "--incident", "evacuation@2m",
                "--duration", "90s", "--start-time", "2026-01-01T07:00:00Z", "--max-in-flight", "500", "--progress", "0")
                .config();
        assertThat(config).isEqualTo(SimulatorConfig.builder().projectIds(List.of("a", "b")).origin(40.7, -74.0)
                .siteSize(500, 350).workers(50).machines(4).sensors(10).speed(2.5).seed(7).positionsPerSecond(3)
                .sensorPeriod(Duration.ofSeconds(10)).equipmentPeriod(Duration.ofSeconds(1)).wearableFraction(0.5)
                .shiftLength(Duration.ofHours(6)).startInShift(Duration.ofMinutes(5))
                .incidents(List.of(new IncidentSpec(IncidentKind.FALL, Duration.ofSeconds(30), Optional.of("b")),
                        new IncidentSpec(IncidentKind.EVACUATION, Duration.ofMinutes(2), Optional.empty())))
                .duration(Duration.ofSeconds(90)).startTimeMs(1_767_250_800_000L).maxInFlight(500)
                .progressInterval(Duration.ZERO).build());
    }

    @Test
    void withoutIncidentOptionsTheDefaultScenarioPlays() {
        assertThat(parse("--output", "-").config().incidents()).isEqualTo(IncidentSpec.DEFAULT_SCENARIO);
        assertThat(parse("--output", "-", "--no-incidents").config().incidents()).isEmpty();
    }

    @Test
    void kafkaEnvironmentVariablesBecomeClientSettings() {
        assertThat(SimulatorMain.kafkaEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_HEAP_OPTS", "-Xmx1g", "PATH", "/bin")))
                .containsOnly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"));
    }

    @Test
    void aBadCommandLineExitsWith2AndSaysWhy() {
        assertThat(SimulatorMain.run(new String[] {"--output", "-", "--workers", "-5", "--progress", "0"})).isEqualTo(2);
        assertThat(SimulatorMain.run(new String[] {"--workers", "5"})).isEqualTo(2);
        assertThat(SimulatorMain.run(new String[] {"--output", "-", "--incident", "meteor@1m"})).isEqualTo(2);
    }

    @Test
    void aTimedRunWritesValidNdjsonAndExits0(@TempDir final Path dir) throws Exception {
        // Given a one-second run at 60x into a file
        final Path out = dir.resolve("events.ndjson");
        final int code = SimulatorMain.run(new String[] {"--output", out.toString(), "--workers", "10", "--sensors", "5",
                "--speed", "60", "--duration", "1s", "--start-time", "1767250800000", "--incident", "fall@30s",
                "--progress", "0"});

        // Then it exits 0 and every line is a typed event in its JSON form that passes validation
        assertThat(code).isZero();
        final List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSizeGreaterThan(100);
        final ObjectMapper json = new ObjectMapper();
        boolean sawFall = false;
        for (final String line : lines) {
            final JsonNode node = json.readTree(line);
            final EventType type = EventType.byJsonName(node.get("type").asText()).orElseThrow();
            assertThat(type.ingestible()).isTrue();
            assertThat(EventValidation.problems(AvroJson.fromJson(node.get("data"), type.type()))).isEmpty();
            sawFall |= type == EventType.WEARABLE_ALARM;
        }
        assertThat(sawFall).isTrue();
    }
}
