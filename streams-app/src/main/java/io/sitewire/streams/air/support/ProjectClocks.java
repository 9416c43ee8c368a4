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
        /** Made by {@link #get} for a new project and not yet put (not stored: transient fields are not JSON). */
        transient boolean unsaved;

        public State() {
        }

        State(final long maxEventTime, final long sweptUntil) {
            this.maxEventTime = maxEventTime;
            this.sweptUntil = sweptUntil;
        }
    }

    private final CachedStore<State> store;
    private final long graceMs;
    private final long stepMs;

    public ProjectClocks(final KeyValueStore<String, State> store, final long graceMs, final long stepMs) {
        this.store = new CachedStore<>(store);
        this.graceMs = graceMs;
        this.stepMs = stepMs;
    }

    /** The project's clock, starting it at {@code eventTime} if the project is new (nothing swept yet). */
    public State get(final String projectId, final long eventTime) {
        final State s = store.get(projectId);
        if (s != null) {
            return s;
        }
        final State fresh = new State(eventTime, floor(eventTime - graceMs));
        fresh.unsaved = true;
        return fresh;
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
        clock.unsaved = false;
    }

    /**
     * Puts the clock unless it is stored already with these values: every reading of a project moves its clocks, but
     * one that neither advances nor sweeps them need not cost a write and a changelog record.
     */
    public void putIfChanged(final String projectId, final State clock, final long maxEventTimeBefore,
            final long sweptUntilBefore) {
        if (clock.unsaved || clock.maxEventTime != maxEventTimeBefore || clock.sweptUntil != sweptUntilBefore) {
            put(projectId, clock);
        }
    }

    /** Forgets the deserialized copies (see {@link CachedStore#clear}). */
    public void clearCache() {
        store.clear();
    }

    public long floor(final long t) {
        return Math.floorDiv(t, stepMs) * stepMs;
    }

    public long step() {
        return stepMs;
    }
}
