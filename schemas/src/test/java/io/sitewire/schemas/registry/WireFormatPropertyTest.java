package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Alert;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever bytes arrive on a topic, the deserializer either returns a record or throws one of our
 * SerializationException subclasses: never an Avro, array-index or out-of-memory surprise that would kill a stream
 * thread instead of reaching the dead-letter handler. Inputs come from seeded generators, so a failure names the
 * seed that reproduces it.
 */
class WireFormatPropertyTest {

    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    private static final AvroSerde<Alert> ALERTS = AvroSerdes.forClass(Alert.class, REGISTRY, false);
    private static final AvroSerde<SpecificRecord> ANY = AvroSerdes.forGeneratedClasses(REGISTRY, false);
    private static final int[] KNOWN_IDS = {
        id(SampleEvents.alert()), id(SampleEvents.manualBroadcast()), id(SampleEvents.rollCall()),
        id(SampleEvents.deadLetter())};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20261125L})
    void randomBytesFailOnlyWithASerializationException(final long seed) {
        final Random random = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            final byte[] payload = new byte[random.nextInt(64)];
            random.nextBytes(payload);
            assertOnlySerializationExceptions(payload, seed);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7L, 99L, 20261125L})
    void randomBodiesBehindAKnownSchemaIdFailOnlyWithASerializationException(final long seed) {
        final Random random = new Random(seed);
        final Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            final byte[] body = new byte[random.nextInt(301)];
            random.nextBytes(body);
            final int id = KNOWN_IDS[random.nextInt(KNOWN_IDS.length)];
            final ByteBuffer framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body);
            outcomes.merge(assertOnlySerializationExceptions(framed.array(), seed), 1, Integer::sum);
        }
        // The property is only worth something if the Avro decoding itself fails in its different ways.
        assertThat(outcomes.getOrDefault(TruncatedPayloadException.class.getSimpleName(), 0)).as("outcomes %s", outcomes).isGreaterThan(30);
        assertThat(outcomes.getOrDefault(MalformedPayloadException.class.getSimpleName(), 0)).as("outcomes %s", outcomes).isGreaterThan(30);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3L, 2026L})
    void corruptingOneByteOfARealRecordFailsOnlyWithASerializationException(final long seed) {
        final Random random = new Random(seed);
        final List<SpecificRecord> records = SampleEvents.all();
        for (int i = 0; i < 500; i++) {
            final SpecificRecord record = records.get(random.nextInt(records.size()));
            final byte[] bytes = ANY.serializer().serialize(topicOf(record), record);
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            assertOnlySerializationExceptions(bytes, seed);
        }
    }

    /** Decodes with a typed and an untyped deserializer; returns how the untyped one ended. */
    private static String assertOnlySerializationExceptions(final byte[] payload, final long seed) {
        String outcome = "";
        for (final AvroSerde<? extends SpecificRecord> serde : new AvroSerde<?>[] {ALERTS, ANY}) {
            try {
                final SpecificRecord read = serde.deserializer().deserialize("sitewire.fuzz", payload);
                assertThat(read).as("seed %d", seed).isNotNull();
                outcome = "decoded";
            } catch (final SerializationException e) {
                assertThat(e).as("seed %d", seed).isInstanceOf(AvroSerdeException.class);
                assertThat(e.getMessage()).startsWith("Cannot decode value from topic 'sitewire.fuzz': ");
                outcome = e.getClass().getSimpleName();
            }
        }
        return outcome;
    }

    private static int id(final SpecificRecord record) {
        return WireFormat.schemaIdOf(ANY.serializer().serialize(topicOf(record), record));
    }

    /** One topic per type: TopicNameStrategy subjects hold one record type each. */
    private static String topicOf(final SpecificRecord record) {
        return "fuzz." + record.getClass().getSimpleName();
    }
}
