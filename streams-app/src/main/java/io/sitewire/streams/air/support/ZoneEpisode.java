package io.sitewire.streams.air.support;

import io.sitewire.events.Priority;
import java.util.TreeSet;

/**
 * The roll-up of one zone and rule: open while at least one member (sensor, meter) is in an episode (for the
 * ceiling and dose roll-ups) or while the zone's aggregate breaches the limit (windowed roll-ups). Kept after it
 * clears, with the last start, so that a new episode can never reuse an old id.
 */
public final class ZoneEpisode {
    /** Start of the open episode, or -1. */
    public long start = -1;
    public String zone;
    public String rule;
    public long lastStart = -1;
    public Priority priority;
    public double limit;
    public String limitSource;
    public TreeSet<String> members = new TreeSet<>();

    public boolean isOpen() {
        return start >= 0;
    }

    /** Opens an episode at {@code t} (or just after the previous one's start) and returns its start. */
    public long open(final long t, final Priority priority, final double limit, final String limitSource) {
        this.start = Math.max(t, lastStart + 1);
        this.lastStart = start;
        this.priority = priority;
        this.limit = limit;
        this.limitSource = limitSource;
        return start;
    }

    public void close() {
        start = -1;
        members.clear();
    }
}
