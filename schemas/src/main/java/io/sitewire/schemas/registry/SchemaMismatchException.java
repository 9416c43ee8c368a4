package io.sitewire.schemas.registry;

/** The writer schema cannot be read as the expected class (a record of another type on the topic, say). */
public final class SchemaMismatchException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    SchemaMismatchException(final String topic, final boolean key, final String reason) {
        super(true, topic, key, reason, null);
    }
}
