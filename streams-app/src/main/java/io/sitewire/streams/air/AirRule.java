package io.sitewire.streams.air;

import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import java.time.Duration;

/**
 * One air-quality limit, resolved for a project: what is compared, how, against what, and where the number comes
 * from. {@code window} is null for an instantaneous ceiling and the averaging period for a windowed limit.
 *
 * <p>An episode is RAISED when the value {@link #breaches} the limit and CLEARED when it {@link #clears}: the
 * clear level lies strictly inside the safe side, so a value hovering at the limit cannot flap.
 *
 * @param id        the rule name put in {@code Alert.rule}, e.g. {@code air.co.ceiling}
 * @param level     qualifier in the alert id when a metric has several limits of one type (o2 low/high, silica
 *                  pel/action, pm epa/who), else null
 * @param inclusive true when reaching the limit is already a breach ("at or above 10 % LEL"), false when only
 *                  passing it is ("below 19.5 % O2", "not to exceed 200 ppm")
 */
public record AirRule(
        String id,
        Metric metric,
        AlertType type,
        Duration window,
        Bound bound,
        boolean inclusive,
        double limit,
        double clearAt,
        Priority priority,
        String level,
        String limitSource,
        boolean enabled) {

    /** Which side of the limit is hazardous. */
    public enum Bound { UPPER, LOWER }

    /** Relative tolerance: averages computed in floating point that equal the limit count as equal. */
    static final double TOLERANCE = 1e-9;

    public AirRule {
        if (!(limit > 0) || !Double.isFinite(limit)) {
            throw new IllegalArgumentException(id + ": limit must be a positive number, got " + limit);
        }
        final boolean inside = bound == Bound.UPPER ? clearAt < limit : clearAt > limit;
        if (!inside || !(clearAt >= 0)) {
            throw new IllegalArgumentException(id + ": the clear level " + clearAt + " must be strictly on the safe side of the limit "
                    + limit + " (" + (bound == Bound.UPPER ? "below" : "above") + " it), or alerts would flap");
        }
    }

    public boolean isCeiling() {
        return window == null;
    }

    /** Whether {@code value} is on the hazardous side of the limit. */
    public boolean breaches(final double value) {
        final double slack = Math.abs(limit) * TOLERANCE;
        if (bound == Bound.UPPER) {
            return inclusive ? value >= limit - slack : value > limit + slack;
        }
        return inclusive ? value <= limit + slack : value < limit - slack;
    }

    /** Whether {@code value} is back at or inside the clear level. */
    public boolean clears(final double value) {
        final double slack = Math.abs(clearAt) * TOLERANCE;
        return bound == Bound.UPPER ? value <= clearAt + slack : value >= clearAt - slack;
    }

    /** The alert-id segment for the metric: {@code co_ppm}, {@code o2_pct.low}, {@code silica_ugm3.action}. */
    public String metricSegment() {
        return level == null ? metric.name() : metric.name() + "." + level;
    }
}
