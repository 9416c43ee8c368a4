package io.sitewire.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Progress lines while the suite runs: start-up steps with their duration, and a status line every 2 s. */
final class Progress implements AutoCloseable {

    /** A start-up step. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    private final PrintStream out;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> status;

    Progress(final PrintStream out) {
        this.out = out;
    }

    <T> T step(final String what, final Step<T> step) {
        out.print(what + " ... ");
        out.flush();
        final long t0 = System.nanoTime();
        try {
            final T result = step.run();
            out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return result;
        } catch (final RuntimeException e) {
            out.println("FAILED: " + e.getMessage());
            throw e;
        } catch (final Exception e) {
            out.println("FAILED: " + e.getMessage());
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    void line(final String text) {
        out.println(text);
    }

    /** Prints {@code line} every 2 s until {@link #quiet()}. */
    synchronized void every2s(final String prefix, final Supplier<String> line) {
        quiet();
        final long t0 = System.nanoTime();
        status = ticker.scheduleAtFixedRate(() -> out.printf(Locale.ROOT, "  [%s %4.0f s] %s%n", prefix,
                (System.nanoTime() - t0) / 1e9, line.get()), 2, 2, TimeUnit.SECONDS);
    }

    synchronized void quiet() {
        if (status != null) {
            status.cancel(false);
            status = null;
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
