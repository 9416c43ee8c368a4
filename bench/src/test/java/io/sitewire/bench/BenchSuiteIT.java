package io.sitewire.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's harness at toy scale against the real stack (embedded broker, Apicurio, streams app, the gateway as a
 * child JVM): a correctness test of the harness and the gateway's delivery promise, not a speed test.
 */
class BenchSuiteIT {

    @TempDir
    Path out;

    @Test
    void tinyRunSubscribesEveryClientAndLosesDuplicatesOrReordersNothing() throws Exception {
        // Given 20 clients, 2 s per timed scenario and a 2 s reconnect cut
        final BenchOptions options = new BenchOptions(
                List.of(Scenario.SHIFT_START, Scenario.IDLE_HEAP, Scenario.STEADY, Scenario.FLOOD, Scenario.EMERGENCY,
                        Scenario.RECONNECT_STORM, Scenario.END_TO_END, Scenario.INGEST),
                List.of(20), out, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(2), 20, 4_000, 100, 2,
                false, 16, 100, "256m", false, Path.of(System.getProperty("bench.gateway.classpath.file")),
                "benchit", null, null, null, null, true);
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // When the suite runs
        final Suite.Outcome outcome = Suite.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.println(printed.toString(StandardCharsets.UTF_8));

        // Then every client subscribed, every bench alert reached every client once and in order
        final Map<String, Result> by = outcome.results().stream().collect(Collectors.toMap(r -> r.scenario, Function.identity()));
        assertThat(by.get("shift-start").figures).containsEntry("complete", true).containsEntry("subscribed", 20);
        assertThat(by.get("steady").figures).containsEntry("complete", true);
        assertThat((long) by.get("steady").figures.get("deliveries")).isPositive();
        assertThat(by.get("flood").figures).containsEntry("complete", true).containsEntry("deliveries", 4_000L);
        assertThat(by.get("emergency").figures).containsEntry("emergency_clients_reached", 20L);
        final Map<String, Object> storm = by.get("reconnect-storm").figures;
        assertThat(storm).containsEntry("complete", true).containsEntry("clients_cut", 2)
                .containsEntry("missed", 0L).containsEntry("duplicated", 0L).containsEntry("out_of_order", 0L)
                .containsEntry("not_received_at_check", 0L).containsEntry("lost_behind_later_frames", 0L)
                .containsEntry("cut_clients_resubscribed", 2L);
        assertThat((long) storm.get("alerts_during_storm")).isPositive();
        // the streams app turned readings into alerts that reached the observers
        assertThat((long) by.get("end-to-end").figures.get("alert_frames_at_observers")).isPositive();
        assertThat((long) by.get("ingest").figures.get("http_events")).isPositive();
        assertThat((long) by.get("ingest").figures.get("kafka_events")).isPositive();
        assertThat(by.get("idle-heap").figures).containsKey("kb_per_idle_connection");
        assertThat(outcome.tally().produceFailures.sum()).isZero();
        // and the report files exist
        assertThat(out.resolve("results.json")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("results.md"))).contains("reconnect-storm");
        assertThat(out.resolve("latency.png")).isNotEmptyFile();
        // and no thread of the bench outlives the run (producers stopped, clients and their Jetty threads closed)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && t.getName().startsWith("bench-")).extracting(Thread::getName).isEmpty());
    }
}
