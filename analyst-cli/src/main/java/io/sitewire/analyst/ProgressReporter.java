package io.sitewire.analyst;

import io.sitewire.schemas.replay.ReplayListener;
import io.sitewire.schemas.replay.ReplayProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress and decode failures on standard error: a bar redrawn in place (at most ten times a second) when standard
 * error is a terminal, else a line every few seconds, which is what a log file or CI wants. Every failure is printed
 * (up to {@value #MAX_PRINTED_FAILURES}, then only counted) and, with {@code --failures-out}, written to a file in full.
 */
final class ProgressReporter implements ReplayListener, AutoCloseable {

    static final int MAX_PRINTED_FAILURES = 20;
    private static final long BAR_EVERY_NANOS = Duration.ofMillis(100).toNanos();
    private static final int BAR_WIDTH = 24;

    /** How progress is shown. */
    enum Mode {
        /** BAR when standard error is a terminal, else LINES. */
        AUTO,
        BAR,
        LINES,
        NONE
    }

    private final PrintStream err;
    private final Mode mode;
    private final long lineEveryNanos;
    private final Writer failuresOut;
    private long lastShown = Long.MIN_VALUE / 2;
    private int barLength;
    private long failures;
    private ReplayProgress last;
    private boolean closed;

    ProgressReporter(final PrintStream err, final Mode mode, final Duration lineEvery, final Writer failuresOut) {
        this.err = err;
        this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
        this.lineEveryNanos = lineEvery.toNanos();
        this.failuresOut = failuresOut;
    }

    Mode mode() {
        return mode;
    }

    /** {@code --progress}: auto, bar, lines or none, any case. */
    static Mode parseMode(final String text) {
        try {
            return Mode.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("--progress: '" + text + "' is not auto, bar, lines or none");
        }
    }

    @Override
    public void onProgress(final ReplayProgress progress) {
        last = progress;
        final long now = System.nanoTime();
        switch (mode) {
            case BAR -> {
                if (now - lastShown >= BAR_EVERY_NANOS) {
                    lastShown = now;
                    drawBar(progress);
                }
            }
            case LINES -> {
                if (now - lastShown >= lineEveryNanos) {
                    lastShown = now;
                    err.println(line(progress));
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void onDecodeFailure(final String description) {
        failures++;
        if (failuresOut != null) {
            try {
                failuresOut.write(description);
                failuresOut.write('\n');
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (failures <= MAX_PRINTED_FAILURES) {
            clearBar();
            err.println("WARN  " + description);
        } else if (failures == MAX_PRINTED_FAILURES + 1) {
            clearBar();
            err.println("WARN  further records that cannot be decoded are counted, not printed"
                    + (failuresOut == null ? " (--failures-out FILE lists them all)" : ""));
        }
    }

    /** The last state, drawn once more (a bar ends its line); closes the failures file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (last != null && mode == Mode.BAR) {
            drawBar(last);
            err.println();
            barLength = 0;
        } else if (last != null && mode == Mode.LINES) {
            err.println(line(last));
        }
        if (failuresOut != null) {
            try {
                failuresOut.close();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void drawBar(final ReplayProgress progress) {
        final String bar = bar(progress, BAR_WIDTH);
        final StringBuilder text = new StringBuilder(bar.length() + 2).append('\r').append(bar);
        for (int i = bar.length(); i < barLength; i++) {
            text.append(' ');
        }
        barLength = bar.length();
        err.print(text);
        err.flush();
    }

    private void clearBar() {
        if (mode == Mode.BAR && barLength > 0) {
            err.print("\r" + " ".repeat(barLength) + "\r");
            barLength = 0;
            lastShown = Long.MIN_VALUE / 2; // redraw on the next progress
        }
    }

    /** {@code [#########---------------]  38%  1,234,567 read  12 matched  0 failed  52,310 rec/s  ETA 0:41}. */
    static String bar(final ReplayProgress p, final int width) {
        final int filled = (int) Math.round(p.fraction() * width);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d read  %,d matched  %,d failed  %,.0f rec/s  ETA %s",
                "#".repeat(filled), "-".repeat(width - filled), (int) Math.floor(p.fraction() * 100), p.read(),
                p.matched(), p.failedDecodes(), p.recordsPerSecond(), eta(p));
    }

    /** {@code progress 38% (1,234,567 of 3,210,000 offsets): 1,234,567 read, 12 matched, 0 failed, 52,310 rec/s, ETA 0:41}. */
    static String line(final ReplayProgress p) {
        return String.format(Locale.ROOT, "progress %d%% (%,d of %,d offsets): %,d read, %,d matched, %,d failed, "
                        + "%,.0f rec/s, ETA %s", (int) Math.floor(p.fraction() * 100), p.offsetsDone(), p.offsetsTotal(),
                p.read(), p.matched(), p.failedDecodes(), p.recordsPerSecond(), eta(p));
    }

    /** Time left at the pace so far: {@code m:ss}, {@code h:mm:ss}, or {@code ?} before there is a pace. */
    static String eta(final ReplayProgress p) {
        if (p.offsetsDone() <= 0 || p.elapsed().isZero()) {
            return "?";
        }
        final long left = Math.max(0, p.offsetsTotal() - p.offsetsDone());
        final long seconds = Math.round(left * (p.elapsed().toNanos() / 1e9) / p.offsetsDone());
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * Whether standard error is a terminal. Java tells only about stdin and stdout ({@code System.console()}); on
     * Linux the file behind descriptor 2 says it directly.
     */
    static boolean stderrIsTerminal() {
        final Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                final String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (final IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }
}
