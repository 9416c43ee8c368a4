package io.sitewire.streams.support;

import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The Avro value serdes of one topology, all on one registry client (Confluent wire format, subject topic-value). */
public final class EventSerdes {

    private final SchemaRegistryClient registry;
    private final Map<Class<?>, Serde<?>> serdes = new HashMap<>();

    public EventSerdes(final SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> of(final Class<T> type) {
        return (Serde<T>) serdes.computeIfAbsent(type, t -> AvroSerdes.forClass(type, registry, false));
    }
}
