package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Alert;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Whatever bytes arrive on a topic, the deserializer either returns a record or throws one of our
 * SerializationException subclasses: never an Avro, array-index or out-of-memory surprise that would kill a stream
 * thread instead of reaching the dead-letter handler.
 */
class WireFormatPropertyTest {

    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    private static final AvroSerde<Alert> ALERTS = AvroSerdes.forClass(Alert.class, REGISTRY, false);
    private static final AvroSerde<SpecificRecord> ANY = AvroSerdes.forGeneratedClasses(REGISTRY, false);
    private static final int[] KNOWN_IDS = {
        id(SampleEvents.alert()), id(SampleEvents.manualBroadcast()), id(SampleEvents.rollCall()),
        id(SampleEvents.deadLetter())};

    @Property(tries = 3000)
    void randomBytesFailOnlyWithASerializationException(@ForAll final byte[] payload) {
        assertOnlySerializationExceptions(payload);
    }

    @Property(tries = 3000)
    void randomBodiesBehindAKnownSchemaIdFailOnlyWithASerializationException(
            @ForAll("knownIds") final int id, @ForAll("bodies") final byte[] body) {
        final ByteBuffer framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body);
        Statistics.collect(assertOnlySerializationExceptions(framed.array()));
        // The property is only worth something if the Avro decoding itself fails in its different ways.
        Statistics.coverage(coverage -> {
            coverage.check(TruncatedPayloadException.class.getSimpleName()).count(n -> n > 100);
            coverage.check(MalformedPayloadException.class.getSimpleName()).count(n -> n > 100);
        });
    }

    @Property(tries = 1000)
    void corruptingOneByteOfARealRecordFailsOnlyWithASerializationException(
            @ForAll("records") final SpecificRecord record, @ForAll("positions") final int position,
            @ForAll final byte replacement) {
        final byte[] bytes = ANY.serializer().serialize(topicOf(record), record);
        bytes[position % bytes.length] = replacement;
        assertOnlySerializationExceptions(bytes);
    }

    @Provide
    Arbitrary<Integer> knownIds() {
        return Arbitraries.of(KNOWN_IDS[0], KNOWN_IDS[1], KNOWN_IDS[2], KNOWN_IDS[3]);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<SpecificRecord> records() {
        return Arbitraries.of(SampleEvents.all());
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }

    /** Decodes with a typed and an untyped deserializer; returns how the untyped one ended. */
    private static String assertOnlySerializationExceptions(final byte[] payload) {
        String outcome = "";
        for (final AvroSerde<? extends SpecificRecord> serde : new AvroSerde<?>[] {ALERTS, ANY}) {
            try {
                final SpecificRecord read = serde.deserializer().deserialize("sitewire.fuzz", payload);
                assertThat(read).isNotNull();
                outcome = "decoded";
            } catch (final SerializationException e) {
                assertThat(e).isInstanceOf(AvroSerdeException.class);
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
