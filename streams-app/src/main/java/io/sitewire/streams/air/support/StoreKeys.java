package io.sitewire.streams.air.support;

/**
 * String keys for state stores whose byte order is the order we scan in. Parts are escaped so that an id can never
 * contain the separator (ids are validated upstream to be free of '/', but a store key must not depend on that), and
 * times are fixed-width decimal, so that the UTF-8 byte order of {@code series/time} keys is time order.
 */
public final class StoreKeys {

    public static final char SEPARATOR = '/';
    private static final int TIME_DIGITS = 16;
    /** The largest time a key can hold (year 318857); use it as the upper end of a series' range. */
    public static final long MAX_TIME = 9_999_999_999_999_999L;

    private StoreKeys() {
    }

    /** {@code part1/part2/...}, each part escaped. */
    public static String of(final String... parts) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append(SEPARATOR);
            }
            escape(b, parts[i]);
        }
        return b.toString();
    }

    /** The prefix that every key starting with these parts has, e.g. all series of a project. */
    public static String prefix(final String... parts) {
        return of(parts) + SEPARATOR;
    }

    /** {@code series/0000001764000000000}: a point of a series in time order. */
    public static String timed(final String series, final long epochMs) {
        if (epochMs < 0 || epochMs > MAX_TIME) {
            throw new IllegalArgumentException("time out of range for a store key: " + epochMs);
        }
        final String digits = Long.toString(epochMs);
        final StringBuilder b = new StringBuilder(series.length() + 1 + TIME_DIGITS).append(series).append(SEPARATOR);
        for (int i = digits.length(); i < TIME_DIGITS; i++) {
            b.append('0');
        }
        return b.append(digits).toString();
    }

    /** The time part of a key made by {@link #timed}. */
    public static long timeOf(final String timedKey) {
        return Long.parseLong(timedKey.substring(timedKey.length() - TIME_DIGITS));
    }

    private static void escape(final StringBuilder b, final String part) {
        for (int i = 0; i < part.length(); i++) {
            final char c = part.charAt(i);
            if (c == '%') {
                b.append("%25");
            } else if (c == SEPARATOR) {
                b.append("%2F");
            } else {
                b.append(c);
            }
        }
    }
}
