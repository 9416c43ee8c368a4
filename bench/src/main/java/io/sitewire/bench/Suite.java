package io.sitewire.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A whole run: the stack, then every scenario at every client count, then the report. */
final class Suite {

    private Suite() {
    }

    /** What a run returns: its results and the figures of the machine it ran on. */
    record Outcome(List<Result> results, Map<String, Object> machine, Tally tally) {
    }

    static Outcome run(final BenchOptions o, final PrintStream out) throws Exception {
        Files.createDirectories(o.out());
        final Map<String, Object> machine = machine();
        final List<Result> results = new ArrayList<>();
        final Tally tally = new Tally();
        final long t0 = System.nanoTime();
        List<String> hot = List.of();
        try (Progress progress = new Progress(out)) {
            progress.line("Results go to " + o.out().toAbsolutePath());
            final Stack stack = Stack.start(o, progress);
            try (AlertSource alerts = new AlertSource(stack, Scenarios.PROJECT, tally, o.deadline())) {
                stack.stopFirst("alert producer", alerts, Duration.ofSeconds(15)); // Ctrl-C stops producing first
                for (final int n : o.clients()) {
                    final Scenarios scenarios = new Scenarios(o, stack, tally, alerts, progress, n);
                    try {
                        for (final Scenario s : o.scenarios()) {
                            final Result r = scenarios.run(s);
                            r.put("load_average_1m", loadAverage());
                            results.add(r);
                            Report.write(o.out(), machine, results, hot); // a partial report survives a later failure
                        }
                    } finally {
                        scenarios.closeFleet();
                    }
                }
            } finally {
                stack.close();
            }
            if (stack.gateway() != null && stack.gateway().jfrFile() != null) {
                hot = JfrSummary.hotMethods(stack.gateway().jfrFile(), 15);
                hot.forEach(progress::line);
            }
            machine.put("client flow-control window (frames)", o.flowWindow() > 0 ? o.flowWindow() : "none");
            machine.put("load average at the end", loadAverages());
            machine.put("run seconds", Math.round((System.nanoTime() - t0) / 1e9));
            machine.put("client errors", tally.errors.sum());
            Report.write(o.out(), machine, results, hot);
            progress.line("Wrote " + o.out().resolve("results.json") + ", results.md, latency.png");
        }
        return new Outcome(results, machine, tally);
    }

    static Map<String, Object> machine() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("cpus (nproc)", Runtime.getRuntime().availableProcessors());
        m.put("memory", memory());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("load average at the start", loadAverages());
        return m;
    }

    private static String memory() {
        try {
            final String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(total) / 1024.0 / 1024.0);
        } catch (final IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String loadAverages() {
        try {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (final IOException e) {
            return "unknown";
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }
}
