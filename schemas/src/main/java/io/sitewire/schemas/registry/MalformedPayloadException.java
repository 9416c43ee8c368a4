package io.sitewire.schemas.registry;

/** The bytes after the header are not a valid record of the writer schema (bad union index, bytes left over...). */
public final class MalformedPayloadException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    MalformedPayloadException(final String topic, final boolean key, final String reason, final Throwable cause) {
        super(true, topic, key, reason, cause);
    }
}
