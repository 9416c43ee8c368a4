package io.sitewire.schemas.registry;

/** The payload names a schema id the registry does not know (deleted, or written against another registry). */
public final class UnknownSchemaIdException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    UnknownSchemaIdException(final String topic, final boolean key, final int schemaId,
            final SchemaRegistryException cause) {
        super(true, topic, key, "schema id " + schemaId + " is unknown to the schema registry at " + cause.url()
                + " (error_code " + cause.errorCode() + ": " + cause.registryMessage() + ")", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
