package io.sitewire.simulator;

import io.sitewire.events.Metric;
import java.util.List;

/**
 * Where the fixed sensors of a project stand: the {@code i}-th device takes the {@code i}-th placement, cycling. The
 * first is always a multi-gas monitor in the basement (the confined space where CO builds up), then dust and noise
 * monitors where the work is.
 */
final class SensorLayout {

    /** A device type and the readings it reports each cycle (one SensorReading per metric). */
    enum Kind {
        GAS("gas", List.of(Metric.co_ppm, Metric.h2s_ppm, Metric.o2_pct, Metric.lel_pct)),
        DUST("dust", List.of(Metric.pm25_ugm3, Metric.pm10_ugm3, Metric.silica_ugm3)),
        NOISE("noise", List.of(Metric.noise_dba));

        private final String prefix;
        private final List<Metric> metrics;

        Kind(final String prefix, final List<Metric> metrics) {
            this.prefix = prefix;
            this.metrics = metrics;
        }

        String prefix() {
            return prefix;
        }

        List<Metric> metrics() {
            return metrics;
        }
    }

    record Placement(String zone, Kind kind) {
    }

    static final List<Placement> ORDER = List.of(
            new Placement(SitePlan.BASEMENT, Kind.GAS),
            new Placement(SitePlan.BASEMENT, Kind.DUST),
            new Placement(SitePlan.EXCAVATION, Kind.DUST),
            new Placement(SitePlan.EXCAVATION, Kind.NOISE),
            new Placement("level-1", Kind.DUST),
            new Placement("level-1", Kind.NOISE),
            new Placement(SitePlan.BASEMENT, Kind.NOISE),
            new Placement("level-2", Kind.DUST),
            new Placement("level-2", Kind.NOISE),
            new Placement(SitePlan.LAYDOWN, Kind.DUST),
            new Placement(SitePlan.LAYDOWN, Kind.NOISE),
            new Placement("level-3", Kind.DUST),
            new Placement("level-3", Kind.NOISE),
            new Placement("level-4", Kind.DUST),
            new Placement("level-4", Kind.NOISE),
            new Placement(SitePlan.WELFARE, Kind.NOISE),
            new Placement(SitePlan.GATE, Kind.NOISE),
            new Placement(SitePlan.BASEMENT, Kind.GAS),
            new Placement("level-1", Kind.GAS),
            new Placement(SitePlan.CRANE_NORTH, Kind.NOISE),
            new Placement(SitePlan.CRANE_SOUTH, Kind.NOISE));

    private SensorLayout() {
    }

    static Placement placement(final int index) {
        return ORDER.get(index % ORDER.size());
    }

    /** SensorReadings one cycle of {@code sensors} fixed devices produces. */
    static int readingsPerCycle(final int sensors) {
        int total = 0;
        for (int i = 0; i < sensors; i++) {
            total += placement(i).kind().metrics().size();
        }
        return total;
    }
}
