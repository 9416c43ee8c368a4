package io.sitewire.streams.air.support;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One event-time clock per project: the largest event time seen from the project, and the last evaluation
 * boundary the rules have swept. A reading is late when it is older than {@code clock - grace} (the watermark).
 *
 * <p>Why per project and not Kafka Streams' stream time (per task): a task carries many sites, and a site gateway
 * that was offline flushes minutes of buffered readings. Judged by the other sites' clock, all of them would be
 * late; judged by their own site's clock, they are on time. Within a project all sensors share one clock, so a
 * single sensor lagging more than the grace period behind the rest of its site is late, which is what grace means.
 */
public final class ProjectClocks {

    /** Stored per project. */
    public static final class State {
        public long maxEventTime;
        /** Every boundary at or before this one has been swept. */
        public long sweptUntil;

        public State() {
        }

        State(final long maxEventTime, final long sweptUntil) {
            this.maxEventTime = maxEventTime;
            this.sweptUntil = sweptUntil;
        }
    }

    private final KeyValueStore<String, State> store;
    private final long graceMs;
    private final long stepMs;

    public ProjectClocks(final KeyValueStore<String, State> store, final long graceMs, final long stepMs) {
        this.store = store;
        this.graceMs = graceMs;
        this.stepMs = stepMs;
    }

    /** The project's clock, starting it at {@code eventTime} if the project is new (nothing swept yet). */
    public State get(final String projectId, final long eventTime) {
        final State s = store.get(projectId);
        return s != null ? s : new State(eventTime, floor(eventTime - graceMs));
    }

    public boolean isLate(final State clock, final long eventTime) {
        return eventTime < clock.maxEventTime - graceMs;
    }

    /** Moves the clock to {@code eventTime} if later; returns the last boundary that is now closed. */
    public long advance(final State clock, final long eventTime) {
        clock.maxEventTime = Math.max(clock.maxEventTime, eventTime);
        return floor(clock.maxEventTime - graceMs);
    }

    public void put(final String projectId, final State clock) {
        store.put(projectId, clock);
    }

    public long floor(final long t) {
        return Math.floorDiv(t, stepMs) * stepMs;
    }

    public long step() {
        return stepMs;
    }
}
