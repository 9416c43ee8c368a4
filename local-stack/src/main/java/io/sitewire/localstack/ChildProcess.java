package io.sitewire.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** A child process whose output goes to a log file, awaited by polling with a deadline. */
final class ChildProcess {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(final String name, final Process process, final Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    static ChildProcess start(final String name, final List<String> command, final Path workDir, final Path logFile) {
        try {
            final Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        }
    }

    /**
     * Returns when {@code ready} is true; fails at once, with the end of the log, if the process
     * dies, and stops it if the deadline passes first.
     */
    void awaitReady(final BooleanSupplier ready, final Duration timeout, final String portHint) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                final String log = logTail();
                final String hint = log.contains("Address already in use") ? " (" + portHint + ")" : "";
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while starting"
                        + hint + ". Last lines of " + logFile + ":\n" + log);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds()
                        + " s. Last lines of " + logFile + ":\n" + logTail());
            }
            waitForExitOrPoll();
        }
    }

    /** Waits one poll interval, but returns at once if the process dies. */
    private void waitForExitOrPoll() {
        try {
            process.onExit().get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            // The usual case: poll again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM first so the child can close its files cleanly; SIGKILL if it hangs. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    private String logTail() {
        try {
            final List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
