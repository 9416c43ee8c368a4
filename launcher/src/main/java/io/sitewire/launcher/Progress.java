package io.sitewire.launcher;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Numbered steps with their duration, so a user sees what a slow start is waiting for. */
final class Progress {

    private final PrintStream out;
    private final int steps;
    private int step;

    Progress(final PrintStream out, final int steps) {
        this.out = out;
        this.steps = steps;
    }

    <T> T run(final String what, final Callable<T> action) {
        step++;
        out.printf(Locale.ROOT, "[%d/%d] %s ... ", step, steps, what);
        out.flush();
        final long start = System.nanoTime();
        try {
            final T result = action.call();
            out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return result;
        } catch (final StartupException e) {
            out.println("FAILED");
            throw e;
        } catch (final Exception e) {
            out.println("FAILED");
            throw new StartupException(what + " failed: " + e.getMessage(), e);
        }
    }

    void info(final String line) {
        out.println("      " + line);
    }
}
