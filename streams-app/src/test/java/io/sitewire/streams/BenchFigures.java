package io.sitewire.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/** What the hand-run streams benchmarks ({@link StreamsLatencyBench}, {@link GasPathBench}) share: start and figures. */
final class BenchFigures {

    private static final List<String> THREAD_METRICS = List.of("commit-latency-avg", "commit-latency-max", "commit-rate",
            "process-rate", "process-latency-avg", "poll-ratio", "commit-ratio", "process-ratio", "punctuate-ratio");

    private BenchFigures() {
    }

    /** Waits until every instance of the app runs; fails after 3 minutes. */
    static void awaitRunning(final StreamsApp app) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!app.running()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("app not running after 3 min");
            }
            TimeUnit.MILLISECONDS.sleep(100); // a hand-run benchmark's start, not a test: polling is enough
        }
    }

    /** Commit and process figures of every stream thread: a commit slower than the commit interval starves tasks. */
    static void threadMetrics(final StreamsApp app) {
        for (final KafkaStreams streams : app.instances()) {
            final Map<String, Object> figures = new TreeMap<>();
            streams.metrics().forEach((name, metric) -> {
                if (name.group().equals("stream-thread-metrics") && THREAD_METRICS.contains(name.name())) {
                    final Object v = metric.metricValue();
                    figures.put(name.tags().get("thread-id") + " " + name.name(), v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v);
                }
            });
            streams.metadataForLocalThreads().forEach(thread -> System.out.println("thread metrics "
                    + thread.threadName() + ": " + figures.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(thread.threadName() + " ")).map(e -> e.getKey()
                                    .substring(thread.threadName().length() + 1) + "=" + e.getValue()).toList()));
        }
    }

    /** The 1-minute load average (other processes on the machine skew every number here). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (final IOException e) {
            return "unknown";
        }
    }

    /** The p-th percentile of sorted values (nearest rank). */
    static long pct(final long[] sorted, final double p) {
        final int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
