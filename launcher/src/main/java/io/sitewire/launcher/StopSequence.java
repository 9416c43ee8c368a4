package io.sitewire.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops what the launcher started, in stages, each part within its own time budget, and says how long each took.
 * Parts of one stage stop at the same time (the streams app and the gateway do not need each other to stop); a stage
 * starts once the one before it is done (the apps stop before the broker they talk to). A part that overruns its
 * budget is left to finish on its own, and the stop goes on: a stop that waits without a bound is what made Ctrl-C
 * take minutes.
 */
final class StopSequence {

    /** Stages, earliest first. */
    enum Stage { EVENT_SOURCES, APPS, INFRASTRUCTURE }

    /** One part and how long its stop may take. */
    record Part(String name, Stage stage, Duration budget, AutoCloseable closeable) {
    }

    /** How a part's stop went. */
    record Outcome(String name, boolean stopped, Duration took, String problem) {
    }

    private final List<Part> parts = new ArrayList<>();

    synchronized void add(final String name, final Stage stage, final Duration budget, final AutoCloseable closeable) {
        parts.add(new Part(name, stage, budget, closeable));
    }

    synchronized boolean isEmpty() {
        return parts.isEmpty();
    }

    /**
     * Stops every part added so far (each once, even if called again), printing a line per part as it ends and a
     * summary; returns the outcomes in the order the parts ended.
     */
    List<Outcome> stopAll(final PrintStream out) {
        final TreeMap<Stage, List<Part>> byStage = new TreeMap<>();
        synchronized (this) {
            // Newest first within a stage, as a stack would stop them.
            for (int i = parts.size() - 1; i >= 0; i--) {
                byStage.computeIfAbsent(parts.get(i).stage(), s -> new ArrayList<>()).add(parts.get(i));
            }
            parts.clear();
        }
        final long began = System.nanoTime();
        final List<Outcome> outcomes = new ArrayList<>();
        for (final List<Part> stage : byStage.values()) {
            final long stageStart = System.nanoTime();
            final List<CompletableFuture<Outcome>> running = new ArrayList<>();
            for (final Part part : stage) {
                running.add(stopInBackground(part));
            }
            for (int i = 0; i < stage.size(); i++) {
                final Outcome outcome = await(stage.get(i), running.get(i), stageStart);
                outcomes.add(outcome);
                report(out, outcome);
            }
        }
        final long stopped = outcomes.stream().filter(Outcome::stopped).count();
        out.printf(Locale.ROOT, "Stopped in %.1f s (%d of %d parts stopped%s).%n", seconds(System.nanoTime() - began),
                stopped, outcomes.size(), stopped == outcomes.size() ? ""
                        : "; " + String.join(", ", outcomes.stream().filter(o -> !o.stopped()).map(Outcome::name).toList())
                        + " did not: see the log");
        out.flush();
        return outcomes;
    }

    private static CompletableFuture<Outcome> stopInBackground(final Part part) {
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        final Thread thread = new Thread(() -> {
            final long start = System.nanoTime();
            try {
                part.closeable().close();
                result.complete(new Outcome(part.name(), true, Duration.ofNanos(System.nanoTime() - start), null));
            } catch (final Exception | Error e) {
                result.complete(new Outcome(part.name(), false, Duration.ofNanos(System.nanoTime() - start), e.toString()));
            }
        }, "sitewire-stop-" + part.name().replaceAll("[^A-Za-z0-9]+", "-"));
        // A part that overruns its budget must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Waits for a part until its budget, counted from the start of its stage, is spent. */
    private static Outcome await(final Part part, final CompletableFuture<Outcome> running, final long stageStart) {
        final long left = part.budget().toNanos() - (System.nanoTime() - stageStart);
        try {
            return running.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            return new Outcome(part.name(), false, part.budget(), "still stopping after its " + part.budget().toSeconds()
                    + " s budget; left to finish on its own");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(part.name(), false, Duration.ZERO, "interrupted");
        } catch (final ExecutionException e) {
            return new Outcome(part.name(), false, Duration.ZERO, e.getCause().toString());
        }
    }

    private static void report(final PrintStream out, final Outcome outcome) {
        if (outcome.stopped()) {
            out.printf(Locale.ROOT, "  %s ... stopped in %.1f s%n", outcome.name(), seconds(outcome.took().toNanos()));
        } else {
            out.printf(Locale.ROOT, "  %s ... NOT stopped after %.1f s: %s%n", outcome.name(), seconds(outcome.took().toNanos()),
                    outcome.problem());
        }
        out.flush();
    }

    private static double seconds(final long nanos) {
        return nanos / 1e9;
    }
}
