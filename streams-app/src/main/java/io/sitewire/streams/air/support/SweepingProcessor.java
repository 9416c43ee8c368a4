package io.sitewire.streams.air.support;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;

/**
 * The event-time skeleton shared by the windowed air rules and the noise dose: readings wait in per-series
 * timelines (sorted by event time) until their project's watermark ({@code clock - grace}) passes them; at each
 * evaluation boundary (a multiple of {@code step} that the watermark passed) the subclass integrates what is now
 * final and evaluates its rules. Everything a sweep computes depends only on the set of readings, not on the order
 * they arrived in, as long as none arrived after the watermark (those are dropped and counted).
 */
public abstract class SweepingProcessor implements FixedKeyProcessor<String, SensorReading, Alert> {

    private final String family;
    private final String clockStore;
    private final long graceMs;
    private final long stepMs;
    private final long maxFutureSkewMs;
    private final Logger log;

    protected FixedKeyProcessorContext<String, Alert> context;
    private ProjectClocks clocks;
    private ReadingCounter late;
    private ReadingCounter future;

    protected SweepingProcessor(final String family, final String clockStore, final Duration grace, final Duration step,
            final Duration maxFutureSkew, final Logger log) {
        this.family = family;
        this.clockStore = clockStore;
        this.graceMs = grace.toMillis();
        this.stepMs = step.toMillis();
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.log = log;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.clocks = new ProjectClocks(context.getStateStore(clockStore), graceMs, stepMs);
        this.late = new ReadingCounter(context, family, "late-readings-dropped", log,
                "Dropped a reading later than the grace period of " + Duration.ofMillis(graceMs));
        this.future = new ReadingCounter(context, family, "future-readings-dropped", log,
                "Dropped a reading dated more than " + Duration.ofMillis(maxFutureSkewMs) + " after the wall clock");
        initStores(context);
    }

    protected abstract void initStores(FixedKeyProcessorContext<String, Alert> context);

    /** Whether this processor has any rule for the reading (others only move the project's clock). */
    protected abstract boolean tracks(SensorReading reading);

    /** Stores an accepted reading in its series' timeline; a new series starts at {@code sweptUntil}. */
    protected abstract void accept(SensorReading reading, long sweptUntil);

    /**
     * Evaluates every series of the project at {@code boundary}; returns the next boundary at which anything can
     * change (at least {@code boundary + step}; {@code Long.MAX_VALUE} when the project holds no series).
     */
    protected abstract long sweep(String projectId, long boundary, List<Alert> out);

    @Override
    public void process(final FixedKeyRecord<String, SensorReading> record) {
        try {
            processReading(record);
        } catch (final RuntimeException e) {
            // a deserialized value may have been changed and not put back: read everything from the stores again
            clocks.clearCache();
            clearCaches();
            throw e;
        }
    }

    /** Forgets the subclass's deserialized copies of its stores' values ({@link CachedStore#clear}). */
    protected void clearCaches() {
    }

    private void processReading(final FixedKeyRecord<String, SensorReading> record) {
        final SensorReading r = record.value();
        if (r == null) {
            return;
        }
        final long t = r.getEventTime();
        final boolean tracked = tracks(r);
        if (t > context.currentSystemTimeMs() + maxFutureSkewMs) {
            // A clock in the future would make every other reading of the site late.
            if (tracked) {
                future.record(r, "wall clock is " + context.currentSystemTimeMs());
            }
            return;
        }
        final String projectId = r.getProjectId();
        final ProjectClocks.State clock = clocks.get(projectId, t);
        if (clocks.isLate(clock, t)) {
            if (tracked) {
                late.record(r, "the project's clock is at " + clock.maxEventTime);
            }
            return;
        }
        final long maxBefore = clock.maxEventTime;
        final long sweptBefore = clock.sweptUntil;
        if (tracked) {
            accept(r, clock.sweptUntil);
        }
        final long target = clocks.advance(clock, t);
        long boundary = clock.sweptUntil + stepMs;
        final List<Alert> out = boundary <= target ? new ArrayList<>() : List.of();
        while (boundary <= target) {
            final long next = sweep(projectId, boundary, out);
            boundary = Math.max(boundary + stepMs, next);
        }
        clock.sweptUntil = Math.max(clock.sweptUntil, target);
        clocks.putIfChanged(projectId, clock, maxBefore, sweptBefore);
        for (final Alert alert : out) {
            context.forward(record.withValue(alert).withTimestamp(alert.getSourceTime()));
        }
    }

    protected long stepMs() {
        return stepMs;
    }

    protected long floor(final long t) {
        return Math.floorDiv(t, stepMs) * stepMs;
    }

    @Override
    public void close() {
        if (late != null) {
            late.close();
            future.close();
        }
    }
}
