package io.sitewire.gateway.cursor;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The wire form of a cursor: Kafka positions (topic, partition, next offset) for every partition a
 * client's rooms can receive from, valid on every gateway instance.
 *
 * <pre>
 *   cursor  = base64url-no-padding( body crc32c(body) )      crc: 4 bytes big-endian
 *   body    = version(=1) varint(topicCount) topic*
 *   topic   = varint(topicIndex) varint(partitionCount) varint(offset+1)*partitionCount   (0 = no position)
 * </pre>
 * The topic index is the position of the topic in {@code StreamedTopics} (an append-only list), not its
 * name, which keeps a cursor of ~90 partitions at a few hundred characters. Decoding never trusts the
 * input: every length is bounded, the checksum must match, and any violation is a {@link CursorException}.
 */
public final class CursorCodec {

    public static final int VERSION = 1;
    /** Largest cursor string accepted (the encoded form of thousands of partitions). */
    public static final int MAX_CHARS = 16_384;
    static final int MAX_TOPICS = 64;
    static final int MAX_PARTITIONS = 4_096;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private CursorCodec() {
    }

    /**
     * Encodes positions by topic index; each array is indexed by partition and holds the next offset to
     * read, or -1 where there is no position. Topics with no partitions are left out.
     */
    public static String encode(final Map<Integer, long[]> positionsByTopic) {
        final int topics = positionsByTopic.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        final int[] counts = new int[topics];
        final int[] base = new int[topics];
        positionsByTopic.forEach((t, offsets) -> counts[t] = offsets.length);
        int total = 0;
        for (int t = 0; t < topics; t++) {
            base[t] = total;
            total += counts[t];
        }
        final long[] positions = new long[total];
        positionsByTopic.forEach((t, offsets) -> System.arraycopy(offsets, 0, positions, base[t], offsets.length));
        return encode(counts, base, positions);
    }

    /**
     * Encodes a position vector laid out topic by topic: topic index {@code t} has {@code counts[t]} partitions, the
     * first at {@code base[t]}; topics without partitions are left out. Written straight into one array: the gateway
     * encodes a cursor per dispatched record, per frame of a replay and per frame of a lagging queue, where maps and a
     * byte stream per call cost several microseconds each time (docs/benchmarks-jmh.md).
     */
    static String encode(final int[] counts, final int[] base, final long[] positions) {
        int topics = 0;
        int max = 1 + MAX_VARINT + 4;
        for (final int count : counts) {
            if (count > 0) {
                topics++;
                max += 2 * MAX_VARINT + count * MAX_VARINT;
            }
        }
        final byte[] buf = new byte[max];
        int n = 0;
        buf[n++] = VERSION;
        n = putVarint(buf, n, topics);
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] == 0) {
                continue;
            }
            n = putVarint(buf, n, t);
            n = putVarint(buf, n, counts[t]);
            for (int i = base[t], end = base[t] + counts[t]; i < end; i++) {
                final long offset = positions[i];
                n = putVarint(buf, n, offset < 0 ? 0 : offset + 1);
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(buf, 0, n);
        final long sum = crc.getValue();
        buf[n++] = (byte) (sum >>> 24);
        buf[n++] = (byte) (sum >>> 16);
        buf[n++] = (byte) (sum >>> 8);
        buf[n++] = (byte) sum;
        return ENCODER.encodeToString(Arrays.copyOf(buf, n));
    }

    /** Bytes of the longest varint (a non-negative long). */
    private static final int MAX_VARINT = 10;

    private static int putVarint(final byte[] buf, final int at, final long value) {
        int n = at;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
        return n;
    }

    /** Decodes a cursor into positions by topic index (-1 = no position), or throws {@link CursorException}. */
    public static Map<Integer, long[]> decode(final String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw new CursorException("empty cursor");
        }
        if (cursor.length() > MAX_CHARS) {
            throw new CursorException("cursor longer than " + MAX_CHARS + " characters");
        }
        final byte[] all;
        try {
            all = DECODER.decode(cursor);
        } catch (final IllegalArgumentException e) {
            throw new CursorException("cursor is not URL-safe base64");
        }
        if (all.length < 6) {
            throw new CursorException("cursor too short");
        }
        final int bodyLength = all.length - 4;
        final CRC32C crc = new CRC32C();
        crc.update(all, 0, bodyLength);
        final long expected = ((all[bodyLength] & 0xFFL) << 24) | ((all[bodyLength + 1] & 0xFFL) << 16)
                | ((all[bodyLength + 2] & 0xFFL) << 8) | (all[bodyLength + 3] & 0xFFL);
        if (crc.getValue() != expected) {
            throw new CursorException("cursor checksum does not match (altered or truncated)");
        }
        final Reader in = new Reader(all, bodyLength);
        final int version = in.next();
        if (version != VERSION) {
            throw new CursorException("unsupported cursor version " + version);
        }
        final long topics = in.varint();
        if (topics > MAX_TOPICS) {
            throw new CursorException("cursor names too many topics: " + topics);
        }
        final Map<Integer, long[]> result = new TreeMap<>();
        for (int t = 0; t < topics; t++) {
            final long index = in.varint();
            if (index >= MAX_TOPICS) {
                throw new CursorException("cursor topic index out of range: " + index);
            }
            final long partitions = in.varint();
            if (partitions > MAX_PARTITIONS) {
                throw new CursorException("cursor has too many partitions: " + partitions);
            }
            final long[] offsets = new long[(int) partitions];
            for (int p = 0; p < partitions; p++) {
                final long stored = in.varint();
                offsets[p] = stored - 1; // 0 (no position) becomes -1
            }
            if (result.put((int) index, offsets) != null) {
                throw new CursorException("cursor names topic " + index + " twice");
            }
        }
        if (!in.atEnd()) {
            throw new CursorException("cursor has trailing bytes");
        }
        return result;
    }

    /** A bounds-checked reader of the body. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int pos;

        Reader(final byte[] bytes, final int end) {
            this.bytes = bytes;
            this.end = end;
        }

        int next() {
            if (pos >= end) {
                throw new CursorException("cursor truncated");
            }
            return bytes[pos++] & 0xFF;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                final int b = next();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        throw new CursorException("cursor number out of range");
                    }
                    return value;
                }
            }
            throw new CursorException("cursor number too long");
        }

        boolean atEnd() {
            return pos == end;
        }
    }
}
