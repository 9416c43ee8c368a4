package io.sitewire.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated worker: identity, what they carry, and where they are. Movement is piecewise linear: a walk from
 * (fx, fy) at t0 to (tx, ty) at t1, so the position at any sim time is exact, whenever it is asked for.
 */
final class SimWorker {

    enum State { OFFSITE, WORKING, BREAK, LEAVING, EVACUATING, MUSTERED, CRANE_WALK, FALLEN, CARRIED, MISSING }

    final String id;
    final String trade;
    final int crew;
    final SplittableRandom rng;
    final boolean wearsMonitor;
    final double accuracyM;
    final double walkSpeed;
    final long positionPhaseMs;
    final long monitorPhaseMs;
    final String tagId;
    final List<String> deviceIds;
    final double[] monitorValues;

    State state = State.OFFSITE;
    boolean checkedIn;
    /** Sends nothing any more (the missing-worker incident). */
    boolean silent;
    /** Out of the day cycle for the rest of the run (fallen, missing). */
    boolean retired;
    boolean positionsRunning;
    boolean monitorRunning;
    /** Bumped whenever the worker's plan is interrupted; actions scheduled under an older token are dropped. */
    int token;
    /** The incident this worker is part of, if any. */
    String involvedIn;
    /** The working day (0 = the first) the worker's current schedule belongs to, and when they leave that day. */
    int day = -1;
    long leaveAt;

    private double fx;
    private double fy;
    private double tx;
    private double ty;
    private long t0;
    private long t1;
    private String fromLevel;
    private String toLevel;

    SimWorker(final String id, final String trade, final int crew, final SplittableRandom rng, final boolean wearsMonitor,
            final long positionPeriodMs, final long sensorPeriodMs, final int gasMetrics) {
        this.id = id;
        this.trade = trade;
        this.crew = crew;
        this.rng = rng;
        this.wearsMonitor = wearsMonitor;
        this.accuracyM = 2 + rng.nextDouble() * 3;
        this.walkSpeed = 1.0 + rng.nextDouble() * 0.4;
        this.positionPhaseMs = rng.nextLong(positionPeriodMs);
        this.monitorPhaseMs = rng.nextLong(sensorPeriodMs);
        this.tagId = "tag-" + id;
        this.deviceIds = wearsMonitor ? List.of(tagId, "pgm-" + id) : List.of(tagId);
        this.monitorValues = new double[gasMetrics];
    }

    double x(final long t) {
        if (t >= t1 || t1 <= t0) {
            return tx;
        }
        return fx + (tx - fx) * ((t - t0) / (double) (t1 - t0));
    }

    double y(final long t) {
        if (t >= t1 || t1 <= t0) {
            return ty;
        }
        return fy + (ty - fy) * ((t - t0) / (double) (t1 - t0));
    }

    /** The building level the worker is on while inside the footprint: where they are going, else where they were. */
    String levelAt(final long t) {
        if (t >= t1) {
            return toLevel;
        }
        return toLevel != null ? toLevel : fromLevel;
    }

    long arrivalTime() {
        return t1;
    }

    void place(final long now, final double x, final double y, final String level) {
        fx = x;
        fy = y;
        tx = x;
        ty = y;
        t0 = now;
        t1 = now;
        fromLevel = level;
        toLevel = level;
    }

    /** Starts a straight walk from wherever the worker is now; returns the arrival time. */
    long walkTo(final long now, final double x, final double y, final String level, final double speed) {
        final double cx = x(now);
        final double cy = y(now);
        final String current = levelAt(now);
        fx = cx;
        fy = cy;
        tx = x;
        ty = y;
        t0 = now;
        t1 = now + travelMs(Math.hypot(x - cx, y - cy), speed);
        fromLevel = current;
        toLevel = level;
        return t1;
    }

    /** Stands still where the worker is now. */
    void stop(final long now) {
        place(now, x(now), y(now), levelAt(now));
    }

    static long travelMs(final double distanceM, final double speed) {
        return Math.round(distanceM / speed * 1000);
    }
}
