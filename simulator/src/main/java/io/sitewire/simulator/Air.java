package io.sitewire.simulator;

import io.sitewire.events.Metric;
import java.util.random.RandomGenerator;

/**
 * How readings drift: each (device, metric) is an Ornstein-Uhlenbeck random walk pulled back towards a baseline that
 * depends on the zone and on whether work is going on, bounded to a normal range. Baselines sit below the limits in
 * /work/shared/notes/safety-thresholds.md (CO 35 ppm, silica action level 25 ug/m3, noise 85 dBA), so readings
 * alone raise no alerts: those come from the scripted incidents.
 */
final class Air {

    /** Walk parameters: noise (units per sqrt(second)), pull-back rate (per second), normal range. */
    record Spec(double sigma, double theta, double low, double high) {
    }

    private Air() {
    }

    static Spec spec(final Metric metric) {
        return switch (metric) {
            case co_ppm -> new Spec(0.25, 0.05, 0, 25);
            case h2s_ppm -> new Spec(0.03, 0.05, 0, 3);
            case o2_pct -> new Spec(0.01, 0.05, 20.3, 21.0);
            case lel_pct -> new Spec(0.05, 0.05, 0, 5);
            case pm25_ugm3 -> new Spec(0.8, 0.03, 2, 60);
            case pm10_ugm3 -> new Spec(2.0, 0.03, 5, 140);
            case silica_ugm3 -> new Spec(0.4, 0.03, 0, 22);
            case noise_dba -> new Spec(0.8, 0.1, 45, 89);
            case heart_rate_bpm -> new Spec(1.5, 0.05, 55, 150);
            default -> new Spec(0.1, 0.05, 0, 10);
        };
    }

    /** The level a metric settles at in a zone, with or without work going on. */
    static double baseline(final Metric metric, final String zone, final boolean working) {
        final boolean basement = SitePlan.BASEMENT.equals(zone);
        final boolean building = zone.startsWith("level-");
        final boolean excavation = SitePlan.EXCAVATION.equals(zone) || zone.startsWith("crane-");
        return switch (metric) {
            case co_ppm -> basement ? (working ? 6 : 3) : building ? 2.5 : excavation && working ? 4 : 1.5;
            case h2s_ppm -> basement ? 0.4 : 0.1;
            case o2_pct -> basement ? 20.7 : 20.9;
            case lel_pct -> basement ? 1.0 : 0.3;
            case pm25_ugm3 -> scaled(working, basement ? 28 : building ? 24 : excavation ? 40 : 12);
            case pm10_ugm3 -> scaled(working, basement ? 60 : building ? 50 : excavation ? 100 : 30);
            case silica_ugm3 -> scaled(working, basement ? 8 : building ? 10 : excavation ? 12 : 3);
            case noise_dba -> (basement ? 76 : building ? 74 : excavation ? 82 : 64) - (working ? 0 : 14);
            case heart_rate_bpm -> working ? 95 : 75;
            default -> 1;
        };
    }

    private static double scaled(final boolean working, final double value) {
        return working ? value : value * 0.35;
    }

    /**
     * One exact OU step over {@code dtSeconds}: the value relaxes towards the baseline and picks up Gaussian noise,
     * then is held within the metric's normal range.
     */
    static double step(final double value, final Metric metric, final double baseline, final double dtSeconds,
            final RandomGenerator rng) {
        final Spec s = spec(metric);
        final double decay = Math.exp(-s.theta() * dtSeconds);
        final double sd = s.sigma() * Math.sqrt((1 - decay * decay) / (2 * s.theta()));
        final double next = baseline + (value - baseline) * decay + sd * rng.nextGaussian();
        return Math.max(s.low(), Math.min(s.high(), next));
    }

    /** A value as a device reports it: rounded to a tenth, never negative, percentages at most 100. */
    static double reported(final Metric metric, final double value) {
        double v = Math.round(value * 10) / 10.0;
        v = Math.max(0, v);
        if (metric == Metric.o2_pct || metric == Metric.lel_pct) {
            v = Math.min(100, v);
        }
        return v;
    }
}
