package io.sitewire.gateway.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private final StreamedTopics topics = new StreamedTopics(TopicCatalogue.LIVE);

    private PartitionSpace space() {
        final int[] counts = new int[topics.size()];
        Arrays.fill(counts, 6);
        counts[13] = 12;
        return new PartitionSpace(topics, counts);
    }

    @Test
    void positionVectorsRoundTrip() {
        // Given a space of every streamed partition and random positions (some absent)
        final PartitionSpace space = space();
        final Random random = new Random(20261125L);
        for (int round = 0; round < 500; round++) {
            final long[] positions = space.empty();
            for (int i = 0; i < positions.length; i++) {
                final int kind = random.nextInt(4);
                positions[i] = kind == 0 ? -1 : kind == 1 ? 0 : kind == 2 ? random.nextInt(1000) : Math.abs(random.nextLong() >>> 2);
            }
            // When encoded and decoded
            final String cursor = space.encode(positions);
            // Then the same positions come back, in a URL-safe string
            assertThat(space.decode(cursor)).containsExactly(positions);
            assertThat(cursor).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void theVectorEncoderWritesTheDocumentedFormat() {
        // Given random layouts (some topics without partitions) and random positions, absent ones and large ones among them
        final Random random = new Random(20261126L);
        for (int round = 0; round < 2_000; round++) {
            final int[] counts = new int[1 + random.nextInt(20)];
            final int[] base = new int[counts.length];
            int total = 0;
            for (int t = 0; t < counts.length; t++) {
                counts[t] = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(48);
                base[t] = total;
                total += counts[t];
            }
            final long[] positions = new long[total];
            for (int i = 0; i < total; i++) {
                final int kind = random.nextInt(4);
                positions[i] = kind == 0 ? -1 : kind == 1 ? 0 : kind == 2 ? random.nextInt(100_000) : random.nextLong() >>> 1;
            }
            final Map<Integer, long[]> byTopic = new HashMap<>();
            for (int t = 0; t < counts.length; t++) {
                if (counts[t] > 0) {
                    byTopic.put(t, Arrays.copyOfRange(positions, base[t], base[t] + counts[t]));
                }
            }
            // When the codec writes it
            final String direct = CursorCodec.encode(counts, base, positions);
            // Then it is the format's plain byte-by-byte form (and the map form's), and decodes to the positions
            assertThat(direct).isEqualTo(reference(byTopic));
            assertThat(CursorCodec.encode(byTopic)).isEqualTo(direct);
            final Map<Integer, long[]> back = CursorCodec.decode(direct);
            assertThat(back.keySet()).isEqualTo(byTopic.keySet());
            byTopic.forEach((t, offsets) -> assertThat(back.get(t)).containsExactly(offsets));
        }
    }

    @Test
    void aCursorOfEveryLivePartitionIsCompact() {
        final PartitionSpace space = space();
        final long[] positions = space.empty();
        Arrays.fill(positions, 123_456_789L);
        assertThat(space.encode(positions).length()).isLessThan(600);
    }

    @Test
    void seededRandomGarbageNeverThrowsAnythingButCursorException() {
        final Random random = new Random(42L);
        final PartitionSpace space = space();
        final String valid = space.encode(space.empty());
        int rejected = 0;
        for (int round = 0; round < 20_000; round++) {
            final String garbage = switch (round % 4) {
                case 0 -> randomString(random, random.nextInt(60));
                case 1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(random, random.nextInt(200)));
                case 2 -> mutate(random, valid);
                default -> valid.substring(0, random.nextInt(valid.length()));
            };
            try {
                space.decode(garbage);
            } catch (final CursorException e) {
                rejected++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        // Checksummed: essentially all garbage is rejected rather than read as some other position.
        assertThat(rejected).isGreaterThan(19_900);
    }

    @Test
    void hostileInputsAreRejectedClearly() {
        assertThatThrownBy(() -> CursorCodec.decode("")).isInstanceOf(CursorException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> CursorCodec.decode("x".repeat(CursorCodec.MAX_CHARS + 1))).isInstanceOf(CursorException.class);
        assertThatThrownBy(() -> CursorCodec.decode("not base64!")).isInstanceOf(CursorException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> CursorCodec.decode(null)).isInstanceOf(CursorException.class);
        // a well-checksummed body that claims too many partitions
        final String tooMany = CursorCodec.encode(Map.of(1, new long[CursorCodec.MAX_PARTITIONS + 1]));
        assertThatThrownBy(() -> CursorCodec.decode(tooMany)).isInstanceOf(CursorException.class).hasMessageContaining("too many partitions");
    }

    @Test
    void aCursorFromANewerGatewayWithMoreTopicsOrPartitionsIsReadForWhatThisOneKnows() {
        final PartitionSpace space = space();
        final String newer = CursorCodec.encode(Map.of(0, new long[] {5, 6, 7, 8, 9, 10, 11}, 40, new long[] {1}));
        final long[] v = space.decode(newer);
        assertThat(Arrays.copyOfRange(v, 0, 6)).containsExactly(5, 6, 7, 8, 9, 10);
        assertThat(v[6]).isEqualTo(-1);
    }

    private static String randomString(final Random random, final int length) {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (32 + random.nextInt(95)));
        }
        return s.toString();
    }

    private static byte[] randomBytes(final Random random, final int length) {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static String mutate(final Random random, final String s) {
        final char[] chars = s.toCharArray();
        final int i = random.nextInt(chars.length);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char c;
        do {
            c = alphabet.charAt(random.nextInt(alphabet.length()));
        } while (c == chars[i]);
        chars[i] = c;
        return new String(chars);
    }

    /**
     * The cursor format written the plain way, byte by byte as the class comment lays it out: the reference the
     * codec's single-array encoder is checked against.
     */
    private static String reference(final Map<Integer, long[]> byTopic) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(CursorCodec.VERSION);
        varint(out, byTopic.size());
        for (final Map.Entry<Integer, long[]> e : new TreeMap<>(byTopic).entrySet()) {
            varint(out, e.getKey());
            varint(out, e.getValue().length);
            for (final long offset : e.getValue()) {
                varint(out, offset < 0 ? 0 : offset + 1);
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(out.toByteArray());
        final long sum = crc.getValue();
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (sum >>> shift) & 0xFF);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    private static void varint(final ByteArrayOutputStream out, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
