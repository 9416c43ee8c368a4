package io.sitewire.launcher;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the launcher: the first asks for a clean stop, the second ends the process at once.
 * The JVM's own handling runs shutdown hooks, and a second Ctrl-C then waits for them: with a stuck part that is a
 * terminal that never comes back. {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a
 * signal; where it is refused, the JVM's handling stays and the shutdown hook still stops the site.
 */
final class StopSignals {

    /** What the shell reports for a process ended by SIGINT. */
    static final int FORCED_EXIT_CODE = 130;

    private final AtomicInteger received = new AtomicInteger();
    private final Runnable firstSignal;
    private final Runnable secondSignal;

    private StopSignals(final Runnable firstSignal, final Runnable secondSignal) {
        this.firstSignal = firstSignal;
        this.secondSignal = secondSignal;
    }

    /**
     * Installs handlers for INT and TERM.
     *
     * @param firstSignal  runs (on the signal's thread) for the first signal: start a clean stop, without blocking
     * @param secondSignal runs for the second: say so; the process then halts with {@value #FORCED_EXIT_CODE}
     * @return whether the handlers are installed
     */
    static boolean install(final Runnable firstSignal, final Runnable secondSignal) {
        final StopSignals signals = new StopSignals(firstSignal, secondSignal);
        try {
            Signal.handle(new Signal("INT"), s -> signals.received());
            Signal.handle(new Signal("TERM"), s -> signals.received());
            return true;
        } catch (final IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void received() {
        if (received.incrementAndGet() == 1) {
            firstSignal.run();
        } else {
            secondSignal.run();
            // halt() skips the shutdown hooks, including the one that stops the registry's child process: end the
            // children here, or the registry would outlive the launcher and hold its port.
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(FORCED_EXIT_CODE);
        }
    }
}
