package io.sitewire.streams.air;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The air-quality rules: instantaneous ceilings (O2, LEL, CO, H2S) and windowed limits (H2S STEL, 8-h TWAs of
 * CO, H2S and respirable silica, 24-h PM2.5/PM10 guidance), per sensor and per zone.
 *
 * <p>Input: sensor readings keyed by projectId, validated, record timestamp = event time; the topic is
 * partitioned by projectId, so all readings of a project are in one task and no repartition is needed (none is
 * made). Output: RAISED and CLEARED alerts keyed by projectId, for the caller to route by priority.
 *
 * <p>Processors: {@value #CEILINGS} (stores {@value CeilingProcessor#SENSOR_STORE},
 * {@value CeilingProcessor#ZONE_STORE}) and {@value #WINDOWS} (stores {@value WindowProcessor#CLOCK_STORE},
 * {@value WindowProcessor#SERIES_STORE}, {@value WindowProcessor#SAMPLE_STORE},
 * {@value WindowProcessor#CUMULATIVE_STORE}, {@value WindowProcessor#ZONE_STORE}), merged by {@value #MERGE}.
 */
public final class AirQualityRules {

    public static final String CEILINGS = "air-ceilings";
    public static final String WINDOWS = "air-windows";
    public static final String MERGE = "air-alerts";

    private AirQualityRules() {
    }

    /**
     * @param registry not used today: the rules keep their state in JSON and binary serdes and make no Avro
     *                 repartition; taken so that every rule family is wired the same way
     */
    public static KStream<String, Alert> build(final KStream<String, SensorReading> readings, final AirQualityConfig config,
            final SchemaRegistryClient registry) {
        Objects.requireNonNull(registry, "registry");
        return build(readings, config);
    }

    static KStream<String, Alert> build(final KStream<String, SensorReading> readings, final AirQualityConfig config) {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(config, "config");
        final KStream<String, Alert> ceilings = readings.processValues(CeilingProcessor.supplier(config), Named.as(CEILINGS));
        final KStream<String, Alert> windows = readings.processValues(WindowProcessor.supplier(config), Named.as(WINDOWS));
        return ceilings.merge(windows, Named.as(MERGE));
    }
}
