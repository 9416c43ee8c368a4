package io.sitewire.streams.noise;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The noise-dose rules: per worker (wearable dosimeters, readings with a workerId and metric noise_dba) and per
 * zone (fixed meters), OSHA or NIOSH dose, alerts at the action level (50 %) and at 100 %.
 *
 * <p>Input: sensor readings keyed by projectId (partitioned by it, so no repartition is made), validated, record
 * timestamp = event time. Output: RAISED and CLEARED alerts keyed by projectId. Processor {@value #DOSE} with
 * stores {@value DoseProcessor#CLOCK_STORE}, {@value DoseProcessor#SERIES_STORE}, {@value DoseProcessor#SAMPLE_STORE}
 * and {@value DoseProcessor#ZONE_STORE}.
 */
public final class NoiseRules {

    public static final String DOSE = "noise-dose";

    private NoiseRules() {
    }

    /**
     * @param registry not used today: the rules keep their state in JSON and binary serdes and make no Avro
     *                 repartition; taken so that every rule family is wired the same way
     */
    public static KStream<String, Alert> build(final KStream<String, SensorReading> readings, final NoiseConfig config,
            final SchemaRegistryClient registry) {
        Objects.requireNonNull(registry, "registry");
        return build(readings, config);
    }

    static KStream<String, Alert> build(final KStream<String, SensorReading> readings, final NoiseConfig config) {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(config, "config");
        return readings.processValues(DoseProcessor.supplier(config), Named.as(DOSE));
    }
}
