package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Damaged payloads of real records, each kind with the exact failure it must give: a truncation is a
 * {@link TruncatedPayloadException}, a wrong first byte a {@link WrongMagicByteException}, an id the registry does not
 * know an {@link UnknownSchemaIdException}, extra bytes a {@link MalformedPayloadException}; bit flips in the Avro body
 * decode or fail as a poison {@link AvroSerdeException}. Whatever fails is described by {@link DecodeFailure} with its
 * position. (Random bytes and single-byte corruption are {@link WireFormatPropertyTest}'s.) Every try has its own seed,
 * printed on failure; {@code -Dfuzz.seed=N} reruns one.
 */
class AvroPayloadFuzzTest {

    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    private static final AvroSerde<SpecificRecord> ANY = AvroSerdes.forGeneratedClasses(REGISTRY, false);
    private static final List<SpecificRecord> RECORDS = SampleEvents.all();
    private static final String TOPIC = "fuzz.topic";

    private static void run(final long base, final int tries, final Consumer<Random> body) {
        final String only = System.getProperty("fuzz.seed");
        final long first = only == null || only.isBlank() ? base : Long.parseLong(only.strip());
        final int count = only == null || only.isBlank() ? tries : 1;
        for (long seed = first; seed < first + count; seed++) {
            try {
                body.accept(new Random(seed));
            } catch (final Throwable t) {
                throw new AssertionError("fuzz try failed with seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "): "
                        + t.getMessage(), t);
            }
        }
    }

    private static byte[] encoded(final Random random) {
        final SpecificRecord record = RECORDS.get(random.nextInt(RECORDS.size()));
        return ANY.serializer().serialize("fuzz." + record.getClass().getSimpleName(), record);
    }

    private static Throwable decode(final byte[] payload) {
        return catchThrowable(() -> ANY.deserializer().deserialize(TOPIC, payload));
    }

    private static void assertDescribed(final Throwable failure, final long offset) {
        assertThat(DecodeFailure.describe(TOPIC, 3, offset, failure))
                .startsWith("Cannot decode value at topic '" + TOPIC + "' partition 3 offset " + offset + ": ");
    }

    @Test
    void everyTruncationIsATruncatedPayload() {
        run(10_000, 300, random -> {
            final byte[] whole = encoded(random);
            final int length = random.nextInt(whole.length);
            final Throwable failure = decode(Arrays.copyOf(whole, length));
            assertThat(failure).as("cut to %d of %d bytes", length, whole.length).isInstanceOf(TruncatedPayloadException.class);
            assertDescribed(failure, length);
        });
    }

    @Test
    void aWrongFirstByteIsAWrongMagicByte() {
        run(20_000, 300, random -> {
            final byte[] payload = encoded(random);
            payload[0] = (byte) (1 + random.nextInt(255));
            assertThat(decode(payload)).isInstanceOf(WrongMagicByteException.class)
                    .hasMessageContaining("expected magic byte 0x00");
        });
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchemaId() {
        run(30_000, 300, random -> {
            final byte[] payload = encoded(random);
            final int id = 1_000_000 + random.nextInt(Integer.MAX_VALUE - 1_000_000);
            ByteBuffer.wrap(payload).putInt(1, id);
            final Throwable failure = decode(payload);
            assertThat(failure).isInstanceOf(UnknownSchemaIdException.class).hasMessageContaining("schema id " + id);
            assertThat(((AvroSerdeException) failure).isPoison()).isTrue();
        });
    }

    @Test
    void trailingBytesAreMalformed() {
        run(40_000, 300, random -> {
            final byte[] whole = encoded(random);
            final byte[] longer = Arrays.copyOf(whole, whole.length + 1 + random.nextInt(16));
            assertThat(decode(longer)).isInstanceOf(MalformedPayloadException.class).hasMessageContaining("bytes left over");
        });
    }

    @Test
    void bitFlipsInTheBodyDecodeOrFailAsPoison() {
        final Map<String, Integer> outcomes = new HashMap<>();
        run(50_000, 3_000, random -> {
            final byte[] payload = encoded(random);
            final int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                final int at = WireFormat.HEADER_SIZE + random.nextInt(payload.length - WireFormat.HEADER_SIZE);
                payload[at] ^= (byte) (1 << random.nextInt(8));
            }
            final Throwable failure = decode(payload);
            if (failure == null) {
                outcomes.merge("decoded", 1, Integer::sum);
                return;
            }
            assertThat(failure).isInstanceOfAny(TruncatedPayloadException.class, MalformedPayloadException.class);
            assertThat(((AvroSerdeException) failure).isPoison()).isTrue();
            assertDescribed(failure, 7);
            outcomes.merge(failure.getClass().getSimpleName(), 1, Integer::sum);
        });
        // The property says something only if flips both survive decoding and break it in both ways.
        assertThat(outcomes).as("outcomes").containsKeys("decoded", "TruncatedPayloadException", "MalformedPayloadException");
    }
}
