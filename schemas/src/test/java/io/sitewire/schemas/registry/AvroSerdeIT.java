package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The serdes through a real Apicurio Registry: what a producer writes, a consumer elsewhere reads. */
@Tag("integration")
@SitewireStack
class AvroSerdeIT {

    private static String url;

    @BeforeAll
    static void registry(final LocalStack stack) {
        url = stack.registryUrl();
    }

    static Stream<SpecificRecord> samples() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void everyEventRoundTripsThroughTheRegistry(final T event)
            throws IOException, InterruptedException {
        // Given a producer and a consumer with clients of their own, as in two processes
        @SuppressWarnings("unchecked")
        final Class<T> type = (Class<T>) event.getClass();
        final String topic = "it." + type.getSimpleName() + "." + UUID.randomUUID();
        final AvroSerde<T> producer = AvroSerdes.forClass(type, newClient(), false);
        final AvroSerde<T> consumer = AvroSerdes.forClass(type, newClient(), false);

        // When the producer writes and the consumer reads
        final byte[] bytes = producer.serializer().serialize(topic, event);
        final T read = consumer.deserializer().deserialize(topic, bytes);

        // Then the event is unchanged, and what the registry holds for the id is the clean .avsc schema
        assertThat(read).isEqualTo(event);
        final String registered = get("/schemas/ids/" + WireFormat.schemaIdOf(bytes));
        assertThat(registered).doesNotContain("avro.java.string").contains(type.getSimpleName());
        assertThat(newClient().versions(topic + "-value")).containsExactly(1);
    }

    @Test
    void serdesConfiguredFromPropertiesTalkToTheRegistry() {
        // Given serdes named in client properties, the way a producer and a Streams app configure them
        final Map<String, Object> props = Map.of(SchemaRegistryClients.URL, url,
                AvroSerdes.SPECIFIC_VALUE_TYPE, Alert.class.getName());
        final AvroSerializer<Alert> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        final AvroDeserializer<Alert> deserializer = new AvroDeserializer<>();
        deserializer.configure(props, false);
        final String topic = "it.alerts." + UUID.randomUUID();

        // When / Then
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic, SampleEvents.alert())))
                .isEqualTo(SampleEvents.alert());
    }

    @Test
    void aConsumerReadsAnOlderWritersRecordsThroughTheRegistry() {
        // Given records written by an older producer whose SensorReading had no workerId
        final String topic = "it.readings." + UUID.randomUUID();
        final SchemaRegistryClient client = newClient();
        client.setCompatibility(topic + "-value", "BACKWARD");
        final Schema older = AvroSerdeTest.withoutField(AvroSchemas.forClass(SensorReading.class), "workerId");
        final int olderId = client.register(topic + "-value", older);
        final GenericRecord record = new GenericData.Record(older);
        record.put("projectId", "tower-7");
        record.put("sensorId", "co-3");
        record.put("zone", "B1");
        record.put("metric", new GenericData.EnumSymbol(older.getField("metric").schema(), "h2s_ppm"));
        record.put("value", 4.0);
        record.put("eventTime", SampleEvents.T0);
        final byte[] oldBytes = AvroSerdeTest.frame(olderId, older, record);

        // When today's producer registers its (compatible) version and a consumer reads both
        final AvroSerde<SensorReading> serde = AvroSerdes.forClass(SensorReading.class, newClient(), false);
        final byte[] newBytes = serde.serializer().serialize(topic, SampleEvents.sensorReading());
        final SensorReading fromOld = serde.deserializer().deserialize(topic, oldBytes);
        final SensorReading fromNew = serde.deserializer().deserialize(topic, newBytes);

        // Then both read, the old one with the default for the field it lacked
        assertThat(fromOld.getWorkerId()).isNull();
        assertThat(fromOld.getSensorId()).isEqualTo("co-3");
        assertThat(fromNew).isEqualTo(SampleEvents.sensorReading());
        assertThat(client.versions(topic + "-value")).containsExactly(1, 2);
    }

    @Test
    void anIncompatibleProducerIsRefusedByTheRegistry() {
        // Given a subject whose first version is a SensorReading without sensorId, under BACKWARD
        final String topic = "it.readings." + UUID.randomUUID();
        final SchemaRegistryClient client = newClient();
        client.setCompatibility(topic + "-value", "BACKWARD");
        client.register(topic + "-value",
                AvroSerdeTest.withoutField(AvroSchemas.forClass(SensorReading.class), "sensorId"));

        // When / Then: today's SensorReading has sensorId without a default, so it could not read version 1
        assertThatThrownBy(() -> AvroSerdes.forClass(SensorReading.class, client, false).serializer()
                .serialize(topic, SampleEvents.sensorReading()))
                .isInstanceOf(SchemaRejectedException.class)
                .hasMessageStartingWith("Cannot encode value for topic '" + topic + "': the schema registry at " + url
                        + " rejected the schema of io.sitewire.events.SensorReading under subject '" + topic
                        + "-value': HTTP 409, error_code 409: ");
    }

    @Test
    void wrongMagicByteUnknownIdAndTruncationAreReportedAsSuch() {
        final String topic = "it.alerts." + UUID.randomUUID();
        final AvroSerde<Alert> serde = AvroSerdes.forClass(Alert.class, newClient(), false);
        final byte[] valid = serde.serializer().serialize(topic, SampleEvents.alert());

        // Wrong magic byte: a JSON producer on an Avro topic
        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, "{\"x\":1}".getBytes()))
                .isInstanceOf(WrongMagicByteException.class)
                .hasMessage("Cannot decode value from topic '" + topic + "': first byte is 0x7B ('{'), expected "
                        + "magic byte 0x00: the payload (7 bytes) is not Confluent-framed Avro");

        // Unknown id: Apicurio answers 40403
        final byte[] unknown = valid.clone();
        unknown[1] = 0x7F;
        final int unknownId = WireFormat.schemaIdOf(unknown);
        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, unknown))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageStartingWith("Cannot decode value from topic '" + topic + "': schema id " + unknownId
                        + " is unknown to the schema registry at " + url + " (error_code 40403: ");

        // Truncated: a header cut short, and a record cut short
        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, Arrays.copyOf(valid, 4)))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("payload has 4 bytes, fewer than the 5-byte Confluent header");
        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, Arrays.copyOf(valid, valid.length - 9)))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("Avro data ends early");
    }

    @Test
    void anUnreachableRegistryIsRetriedThenReportedClearly() throws IOException {
        // Given a consumer whose registry URL points at a closed port, with the default retry settings
        final String deadUrl = "http://127.0.0.1:" + AvroSerdeTest.closedPort() + "/apis/ccompat/v7";
        final AvroDeserializer<Alert> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(SchemaRegistryClients.URL, deadUrl), false);
        final String topic = "it.alerts." + UUID.randomUUID();
        final byte[] bytes = AvroSerdes.forClass(Alert.class, newClient(), false).serializer()
                .serialize(topic, SampleEvents.alert());

        // When it meets a schema id it has not cached
        final long start = System.nanoTime();
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                // Then it fails after 5 attempts with backoff (200+400+800+1600 ms, less up to 20% jitter)
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageStartingWith("Cannot decode value from topic '" + topic + "': schema registry unavailable"
                        + " while fetching writer schema id " + WireFormat.schemaIdOf(bytes) + ": Schema registry "
                        + deadUrl + " unreachable: get schema id " + WireFormat.schemaIdOf(bytes)
                        + " failed after 5 attempts in ")
                .hasMessageContaining("java.net.ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(2400), Duration.ofSeconds(10));
    }

    private static SchemaRegistryClient newClient() {
        return HttpSchemaRegistryClient.builder(url).build();
    }

    private static String get(final String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
