package io.sitewire.schemas.registry;

/** auto.register.schemas is false and the record's schema is not registered under the topic's subject. */
public final class SchemaNotRegisteredException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    SchemaNotRegisteredException(final String topic, final boolean key, final String reason,
            final SchemaRegistryException cause) {
        super(false, topic, key, reason, cause);
    }
}
