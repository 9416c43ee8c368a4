package io.sitewire.streams.air.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses configured durations: ISO-8601 ({@code PT2M}, {@code P1D}) or a number with a unit ({@code 90s}, {@code 2m}, {@code 8h}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)");

    private Durations() {
    }

    /** The duration {@code text} names; {@code key} only makes the error message useful. */
    public static Duration parse(final String key, final String text) {
        final String value = text.strip().toLowerCase(Locale.ROOT);
        final Matcher m = SHORT.matcher(value);
        if (m.matches()) {
            final long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be a duration such as PT2M, 120s, 2m or 8h, got '" + text + "'");
        }
    }

    /** Short human form for messages: 15 min, 8 h, 24 h, 90 s. */
    public static String human(final Duration d) {
        if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toMillisPart() == 0) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() > 0 && d.toSecondsPart() == 0 && d.toMillisPart() == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toSeconds() > 0 && d.toMillisPart() == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
