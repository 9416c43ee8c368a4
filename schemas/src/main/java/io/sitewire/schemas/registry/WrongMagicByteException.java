package io.sitewire.schemas.registry;

/** The first byte is not 0, so the payload is not Confluent-framed Avro (plain JSON, another serde, garbage). */
public final class WrongMagicByteException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    private final int seen;

    WrongMagicByteException(final String topic, final boolean key, final byte seen, final int length) {
        super(true, topic, key, String.format("first byte is %s, expected magic byte 0x00: the payload (%d bytes) "
                + "is not Confluent-framed Avro", WireFormat.describeByte(seen), length), null);
        this.seen = seen & 0xFF;
    }

    /** The first byte that was seen, 0 to 255. */
    public int seenByte() {
        return seen;
    }
}
