package io.sitewire.simulator;

import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentType;
import java.util.SplittableRandom;

/** One simulated machine: type, safety radius, state, and a piecewise-linear position (cranes never travel). */
final class SimMachine {

    final String id;
    final EquipmentType type;
    final double radiusM;
    final double travelRangeM;
    final SplittableRandom rng;
    final long statusPhaseMs;

    EquipmentState status = EquipmentState.IDLE;
    boolean moving;
    /** Within the working day (operations may run); evacuations and forced runs do not change it. */
    boolean inShift;
    /** Lifts (or travel legs) left in the current work period. */
    int cyclesLeft;
    int token;
    /** End of a forced run (crane-walk), or 0. */
    long forcedUntil;

    private double fx;
    private double fy;
    private double tx;
    private double ty;
    private long t0;
    private long t1;

    SimMachine(final String id, final EquipmentType type, final double radiusM, final double travelRangeM,
            final SplittableRandom rng, final long statusPhaseMs, final double x, final double y) {
        this.id = id;
        this.type = type;
        this.radiusM = radiusM;
        this.travelRangeM = travelRangeM;
        this.rng = rng;
        this.statusPhaseMs = statusPhaseMs;
        fx = x;
        tx = x;
        fy = y;
        ty = y;
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

    /** Travels in a straight line from where it is now; returns the arrival time. */
    long travelTo(final long now, final double x, final double y, final double speed) {
        fx = x(now);
        fy = y(now);
        tx = x;
        ty = y;
        t0 = now;
        t1 = now + SimWorker.travelMs(Math.hypot(tx - fx, ty - fy), speed);
        return t1;
    }

    void stop(final long now) {
        final double x = x(now);
        final double y = y(now);
        fx = x;
        tx = x;
        fy = y;
        ty = y;
        t0 = now;
        t1 = now;
    }

    boolean operating() {
        return status == EquipmentState.OPERATIONAL;
    }
}
