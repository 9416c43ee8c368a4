package io.sitewire.schemas.registry;

/** The payload ends early: shorter than the 5-byte header, or the Avro data stops before the record does. */
public final class TruncatedPayloadException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    TruncatedPayloadException(final String topic, final boolean key, final String reason, final Throwable cause) {
        super(true, topic, key, reason, cause);
    }
}
