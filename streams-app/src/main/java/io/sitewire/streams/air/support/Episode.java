package io.sitewire.streams.air.support;

import io.sitewire.events.Priority;

/**
 * An open alert episode of one subject (sensor, worker) and rule: what its RAISED said, so that its CLEARED
 * carries the same id, priority (hence the same priority topic, so it cannot overtake its RAISED) and limit.
 */
public final class Episode {
    /** The episode start in the alert id. */
    public long start;
    public Priority priority;
    public double limit;
    public String limitSource;
    public String zone;
    public String workerId;
    /** Whether this episode counts towards its zone's roll-up (and must leave it when it clears). */
    public boolean inZone;

    public Episode() {
    }

    public Episode(final long start, final Priority priority, final double limit, final String limitSource,
            final String zone, final String workerId, final boolean inZone) {
        this.start = start;
        this.priority = priority;
        this.limit = limit;
        this.limitSource = limitSource;
        this.zone = zone;
        this.workerId = workerId;
        this.inZone = inZone;
    }
}
