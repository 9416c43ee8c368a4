package io.sitewire.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Why a record could not be encoded or decoded by {@link AvroSerializer} / {@link AvroDeserializer}. Each cause has
 * its own subclass, so a handler can tell a poison record (wrong magic byte, truncated, malformed) from an outage
 * (registry unavailable) without parsing messages. The message names the topic and whether the key or the value
 * failed; {@link DecodeFailure#describe} adds the partition and offset, which only the caller knows.
 */
public abstract sealed class AvroSerdeException extends SerializationException
        permits WrongMagicByteException, TruncatedPayloadException, UnknownSchemaIdException,
        MalformedPayloadException, SchemaMismatchException, RegistryUnavailableException,
        SchemaNotRegisteredException, SchemaRejectedException, UnwritableRecordException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final boolean key;
    private final boolean decoding;
    private final String reason;

    AvroSerdeException(final boolean decoding, final String topic, final boolean key, final String reason,
            final Throwable cause) {
        super((decoding ? "Cannot decode " : "Cannot encode ") + (key ? "key" : "value")
                + (decoding ? " from topic '" : " for topic '") + topic + "': " + reason, cause);
        this.topic = topic;
        this.key = key;
        this.decoding = decoding;
        this.reason = reason;
    }

    /** The topic the record came from or was going to. */
    public String topic() {
        return topic;
    }

    /** True if the record's key failed, false for its value. */
    public boolean isKey() {
        return key;
    }

    /** True when reading failed, false when writing did. */
    public boolean isDecoding() {
        return decoding;
    }

    /** What was wrong, without the topic prefix. */
    public String reason() {
        return reason;
    }

    /**
     * Whether the same bytes can never decode, so retrying is pointless and the record belongs in a dead-letter
     * topic; false for an outage ({@link RegistryUnavailableException}), which may pass.
     */
    public boolean isPoison() {
        return true;
    }
}
