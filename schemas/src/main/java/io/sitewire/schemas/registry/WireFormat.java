package io.sitewire.schemas.registry;

import java.util.Locale;

/**
 * The Confluent wire format and subject naming, in one place: a record is {@code 0x00}, the writer schema's id as a
 * 4-byte big-endian int, then the Avro binary encoding. Subjects follow TopicNameStrategy.
 */
public final class WireFormat {

    /** The first byte of every framed payload. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(final String topic, final boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** The schema id of a framed payload, or -1 if it is not framed (too short or wrong magic byte). */
    public static int schemaIdOf(final byte[] payload) {
        if (payload == null || payload.length < HEADER_SIZE || payload[0] != MAGIC_BYTE) {
            return -1;
        }
        return readInt(payload, 1);
    }

    static int readInt(final byte[] bytes, final int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16 | (bytes[offset + 2] & 0xFF) << 8
                | bytes[offset + 3] & 0xFF;
    }

    /** {@code 0x7B ('{')} for a printable byte, {@code 0x9C} otherwise: a readable hint of what the payload is. */
    static String describeByte(final byte b) {
        final int value = b & 0xFF;
        final String hex = String.format(Locale.ROOT, "0x%02X", value);
        return value >= 0x20 && value < 0x7F ? hex + " ('" + (char) value + "')" : hex;
    }
}
