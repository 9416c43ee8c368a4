package io.sitewire.simulator;

import java.util.SplittableRandom;

/** One fixed sensor device in a zone, with the current value of each of its metrics. */
final class SimSensor {

    final String id;
    final String zone;
    final SensorLayout.Kind kind;
    final SplittableRandom rng;
    final long phaseMs;
    final double[] values;

    SimSensor(final String id, final String zone, final SensorLayout.Kind kind, final SplittableRandom rng,
            final long phaseMs) {
        this.id = id;
        this.zone = zone;
        this.kind = kind;
        this.rng = rng;
        this.phaseMs = phaseMs;
        this.values = new double[kind.metrics().size()];
    }
}
