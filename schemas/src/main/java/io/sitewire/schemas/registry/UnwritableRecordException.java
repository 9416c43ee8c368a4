package io.sitewire.schemas.registry;

/** The record cannot be written with its schema, typically a null in a field that is not nullable. */
public final class UnwritableRecordException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    UnwritableRecordException(final String topic, final boolean key, final String reason, final Throwable cause) {
        super(false, topic, key, reason, cause);
    }
}
