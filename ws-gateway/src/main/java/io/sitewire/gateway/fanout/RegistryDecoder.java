package io.sitewire.gateway.fanout;

import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Decodes Confluent-framed Avro values into the generated class their writer schema names (one deserializer, cached schemas). */
public final class RegistryDecoder implements RecordDecoder {

    private final Deserializer<SpecificRecord> deserializer;

    public RegistryDecoder(final SchemaRegistryClient client) {
        this.deserializer = AvroSerdes.forGeneratedClasses(client, false).deserializer();
    }

    @Override
    public SpecificRecord decode(final String topic, final byte[] value) {
        return value == null ? null : deserializer.deserialize(topic, value);
    }
}
