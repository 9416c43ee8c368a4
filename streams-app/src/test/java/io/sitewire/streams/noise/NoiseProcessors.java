package io.sitewire.streams.noise;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;

/** Test access to the dose processor, for the processor-level benchmark. */
public final class NoiseProcessors {

    private NoiseProcessors() {
    }

    public static FixedKeyProcessorSupplier<String, SensorReading, Alert> dose(final NoiseConfig config) {
        return DoseProcessor.supplier(config);
    }
}
