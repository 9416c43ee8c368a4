package io.sitewire.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the durations of the command line and config: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 8h}, {@code 1d} or ISO-8601. */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(final String text) {
        final String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (final DateTimeParseException e) {
                throw bad(text);
            }
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
            }
            final long n = Long.parseLong(s.substring(0, s.length() - 1).strip());
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw bad(text);
            };
        } catch (final NumberFormatException | StringIndexOutOfBoundsException e) {
            throw bad(text);
        }
    }

    /** The shortest exact form parse() reads back: 90s, 2m, 1500ms. */
    public static String format(final Duration d) {
        final long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        } else if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static IllegalArgumentException bad(final String text) {
        return new IllegalArgumentException("not a duration (e.g. 500ms, 90s, 2m, 8h, PT30S): '" + text + "'");
    }
}
