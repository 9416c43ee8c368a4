package io.sitewire.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The bench's bounded waits. A wait that cannot end by itself (a condition that never comes true, a thread that
 * never stops, a close that blocks) gives up at its limit and says so, so that a scenario reports what it got
 * instead of hanging the run.
 */
final class Waits {

    /** How a bounded close ended. */
    enum Closed { CLOSED, FAILED, TIMED_OUT }

    private static final long POLL_MS = 20;

    private Waits() {
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; true if it held. */
    static boolean until(final BooleanSupplier condition, final Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)));
        }
        return true;
    }

    /**
     * Waits up to {@code limit} for the thread to end; a thread still running then is interrupted and given one
     * more second. True if it ended.
     */
    static boolean join(final Thread thread, final Duration limit) throws InterruptedException {
        thread.join(Math.max(1, limit.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1_000);
        }
        return !thread.isAlive();
    }

    /**
     * Runs {@code close} on a daemon thread and waits up to {@code limit} for it. A close that overruns is left
     * behind on its daemon thread, which cannot keep the JVM alive.
     */
    static Closed closeWithin(final String what, final AutoCloseable close, final Duration limit) {
        final CountDownLatch done = new CountDownLatch(1);
        final Throwable[] failure = new Throwable[1];
        final Thread closer = new Thread(() -> {
            try {
                close.close();
            } catch (final Throwable e) {
                failure[0] = e;
            } finally {
                done.countDown();
            }
        }, "bench-close-" + what);
        closer.setDaemon(true);
        closer.start();
        try {
            if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.printf(Locale.ROOT, "  %s did not stop within %.1f s; left behind%n", what, limit.toMillis() / 1e3);
                return Closed.TIMED_OUT;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Closed.TIMED_OUT;
        }
        if (failure[0] != null) {
            System.err.println("  could not stop " + what + ": " + failure[0]);
            return Closed.FAILED;
        }
        return Closed.CLOSED;
    }

    /** The smaller of two durations. */
    static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
