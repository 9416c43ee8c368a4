package io.sitewire.schemas.registry;

/** The registry refused to register the record's schema: incompatible with the subject (409) or invalid (422). */
public final class SchemaRejectedException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    SchemaRejectedException(final String topic, final boolean key, final String reason,
            final SchemaRegistryException cause) {
        super(false, topic, key, reason, cause);
    }
}
