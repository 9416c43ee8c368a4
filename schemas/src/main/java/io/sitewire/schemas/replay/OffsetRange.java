package io.sitewire.schemas.replay;

import java.util.Objects;

/**
 * Offsets {@code fromOffset..toOffset} (both inclusive) of one partition of one topic. The topic is named as in
 * {@link RangeQuery#topics()}: a catalogue family that is one topic ({@code sensor-readings}), a family and priority
 * ({@code alerts.emergency}) or a full topic name.
 *
 * @param topic      the topic, as given
 * @param partition  partition number, from 0
 * @param fromOffset first offset to read
 * @param toOffset   last offset to read, or {@link #OPEN} for "up to the end offset at the start of the read"
 */
public record OffsetRange(String topic, int partition, long fromOffset, long toOffset) {

    /** {@code toOffset} of a range written {@code from-} : up to the end of the partition when the read starts. */
    public static final long OPEN = Long.MAX_VALUE;

    public OffsetRange {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        if (fromOffset < 0) {
            throw new IllegalArgumentException("fromOffset must be >= 0, got " + fromOffset);
        }
        if (toOffset < fromOffset) {
            throw new IllegalArgumentException("toOffset " + toOffset + " is before fromOffset " + fromOffset);
        }
    }

    /**
     * Parses {@code topic:partition:from-to} ({@code to} inclusive) or {@code topic:partition:from-} (to the end).
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     */
    public static OffsetRange parse(final String text) {
        final String spec = text == null ? "" : text.strip();
        final String[] parts = spec.split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' is not topic:partition:from-to (e.g. "
                    + "sensor-readings:3:1000-1999, or sensor-readings:3:1000- for up to the end)");
        }
        final int partition;
        try {
            partition = Integer.parseInt(parts[1]);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': partition '" + parts[1] + "' is not a number");
        }
        final int dash = parts[2].indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("'" + spec + "': offsets '" + parts[2] + "' are not from-to "
                    + "(e.g. 1000-1999, or 1000- for up to the end)");
        }
        final long from;
        final long to;
        try {
            from = Long.parseLong(parts[2].substring(0, dash));
            final String end = parts[2].substring(dash + 1);
            to = end.isEmpty() ? OPEN : Long.parseLong(end);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "': offsets '" + parts[2] + "' are not whole numbers");
        }
        try {
            return new OffsetRange(parts[0], partition, from, to);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': " + e.getMessage());
        }
    }

    public boolean open() {
        return toOffset == OPEN;
    }

    /** The form {@link #parse} reads. */
    @Override
    public String toString() {
        return topic + ":" + partition + ":" + fromOffset + "-" + (open() ? "" : Long.toString(toOffset));
    }
}
