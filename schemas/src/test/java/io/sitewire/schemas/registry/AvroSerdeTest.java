package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.events.ZoneHeadcount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The wire format, against the in-memory registry. */
class AvroSerdeTest {

    private static final String TOPIC = "sitewire.alerts";

    private InMemorySchemaRegistry registry;

    @BeforeEach
    void freshRegistry() {
        registry = new InMemorySchemaRegistry();
    }

    static Stream<SpecificRecord> samples() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void everyEventRoundTripsInTheConfluentWireFormat(final T event) {
        // Given a serde for the event's class
        @SuppressWarnings("unchecked")
        final Class<T> type = (Class<T>) event.getClass();
        final AvroSerde<T> serde = AvroSerdes.forClass(type, registry, false);
        final String topic = "sitewire.test." + type.getSimpleName();

        // When the event is written and read back
        final byte[] bytes = serde.serializer().serialize(topic, event);
        final T read = serde.deserializer().deserialize(topic, bytes);

        // Then it is equal, framed with magic byte 0 and the id of the clean schema under <topic>-value
        assertThat(read).isEqualTo(event);
        final int id = registry.idOf(topic + "-value", AvroSchemas.forClass(type));
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(WireFormat.schemaIdOf(bytes)).isEqualTo(id);
        assertThat(registry.byId(id).toString()).doesNotContain("avro.java.string");
    }

    @Test
    void keySerdeRegistersUnderTheKeySubject() {
        // Given a key serde
        final AvroSerde<ZoneHeadcount> serde = AvroSerdes.forClass(ZoneHeadcount.class, registry, true);

        // When a key is written
        serde.serializer().serialize("sitewire.zone-headcounts", SampleEvents.zoneHeadcount());

        // Then the subject is <topic>-key and no value subject was made
        assertThat(registry.versions("sitewire.zone-headcounts-key")).containsExactly(1);
        assertThatThrownBy(() -> registry.versions("sitewire.zone-headcounts-value"))
                .isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void nullIsATombstoneBothWays() {
        final AvroSerde<Alert> serde = AvroSerdes.forClass(Alert.class, registry, false);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, new RecordHeaders(), (ByteBuffer) null)).isNull();
    }

    @Test
    void readsFromAByteBufferThatIsASliceOfALargerArray() {
        // Given a framed record in the middle of a larger array, as a consumer's fetch buffer holds it
        final AvroSerde<Alert> serde = AvroSerdes.forClass(Alert.class, registry, false);
        final byte[] bytes = serde.serializer().serialize(TOPIC, SampleEvents.alert());
        final byte[] fetched = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, fetched, 7, bytes.length);
        final ByteBuffer slice = ByteBuffer.wrap(fetched, 7, bytes.length).slice();

        // When it is read through the ByteBuffer entry point
        final Alert read = serde.deserializer().deserialize(TOPIC, new RecordHeaders(), slice);

        // Then the record is read without being thrown off by the surrounding bytes
        assertThat(read).isEqualTo(SampleEvents.alert());
    }

    @Test
    void wrongMagicByteSaysWhichByteAndThatItIsNotConfluentAvro() {
        // Given a JSON payload on an Avro topic
        final byte[] json = "{\"alertId\":\"a-1\"}".getBytes(StandardCharsets.UTF_8);

        // When / Then
        assertThatThrownBy(() -> AvroSerdes.forClass(Alert.class, registry, false).deserializer()
                .deserialize(TOPIC, json))
                .isInstanceOf(WrongMagicByteException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot decode value from topic 'sitewire.alerts': first byte is 0x7B ('{'), expected "
                        + "magic byte 0x00: the payload (17 bytes) is not Confluent-framed Avro")
                .satisfies(e -> assertThat(((WrongMagicByteException) e).seenByte()).isEqualTo(0x7B));
    }

    @Test
    void unknownSchemaIdNamesTheIdAndTheRegistry() {
        // Given a framed payload whose id the registry never issued
        final byte[] payload = {0, 0, 0, 0x30, 0x39, 2, 'a'};

        // When / Then
        assertThatThrownBy(() -> AvroSerdes.forClass(Alert.class, registry, true).deserializer()
                .deserialize(TOPIC, payload))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessage("Cannot decode key from topic 'sitewire.alerts': schema id 12345 is unknown to the schema"
                        + " registry at " + registry.url() + " (error_code 40403: Schema 12345 not found.)")
                .satisfies(e -> assertThat(((UnknownSchemaIdException) e).schemaId()).isEqualTo(12345));
    }

    @Test
    void payloadShorterThanTheHeaderIsTruncated() {
        final AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class, registry, false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessage("Cannot decode value from topic 'sitewire.alerts': payload has 3 bytes, fewer than the "
                        + "5-byte Confluent header (magic byte 0x00 and a 4-byte schema id)");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("payload has 0 bytes");
        // A short payload that does not even start with 0 is reported as what it is: not our format.
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {'o', 'k'}))
                .isInstanceOf(WrongMagicByteException.class);
    }

    @Test
    void avroDataEndingEarlyIsTruncated() {
        // Given a valid record with its last bytes cut off
        final AvroSerde<Alert> serde = AvroSerdes.forClass(Alert.class, registry, false);
        final byte[] bytes = serde.serializer().serialize(TOPIC, SampleEvents.alert());
        final byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
        final int id = WireFormat.schemaIdOf(bytes);

        // When / Then
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessage("Cannot decode value from topic 'sitewire.alerts': Avro data ends early: the payload ("
                        + cut.length + " bytes) stops before a complete record of schema id " + id
                        + " (io.sitewire.events.Alert)");
    }

    @Test
    void bytesLeftOverAfterTheRecordAreMalformed() {
        // Given a valid record followed by stray bytes
        final AvroSerde<ZoneHeadcount> serde = AvroSerdes.forClass(ZoneHeadcount.class, registry, false);
        final byte[] bytes = serde.serializer().serialize(TOPIC, SampleEvents.zoneHeadcount());
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        // When / Then
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("bytes left over after a complete record of schema id")
                .hasMessageContaining("(io.sitewire.events.ZoneHeadcount)");
    }

    @Test
    void invalidAvroDataIsMalformed() {
        // Given a header with a real id, and a body whose first string claims a negative length
        final AvroSerde<ZoneHeadcount> serde = AvroSerdes.forClass(ZoneHeadcount.class, registry, false);
        final int id = WireFormat.schemaIdOf(serde.serializer().serialize(TOPIC, SampleEvents.zoneHeadcount()));
        final byte[] payload = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0x01, 0x00};

        // When / Then
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, payload))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("Cannot decode value from topic 'sitewire.alerts': Avro data is not a valid "
                        + "record of schema id " + id + " (io.sitewire.events.ZoneHeadcount): ")
                .hasMessageContaining("Length is negative");
    }

    @Test
    void aRecordOfAnotherTypeIsASchemaMismatch() {
        // Given an Alert on the topic where SensorReadings are expected
        final byte[] alert = AvroSerdes.forClass(Alert.class, registry, false).serializer()
                .serialize(TOPIC, SampleEvents.alert());

        // When / Then
        assertThatThrownBy(() -> AvroSerdes.forClass(SensorReading.class, registry, false).deserializer()
                .deserialize(TOPIC, alert))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("writer schema id ")
                .hasMessageContaining("(io.sitewire.events.Alert) cannot be read as io.sitewire.events.SensorReading");
    }

    @Test
    void registryUnreachableFailsAfterRetriesNamingTheRegistry() throws IOException {
        // Given a deserializer whose registry is a closed port, and a record whose schema it has never seen
        final String url = "http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7";
        final SchemaRegistryClient down = HttpSchemaRegistryClient.builder(url).maxAttempts(3)
                .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(40)).build();
        final byte[] bytes = AvroSerdes.forClass(Alert.class, registry, false).serializer()
                .serialize(TOPIC, SampleEvents.alert());
        final int id = WireFormat.schemaIdOf(bytes);

        // When / Then
        assertThatThrownBy(() -> new AvroDeserializer<>(Alert.class, down, false).deserialize(TOPIC, bytes))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageStartingWith("Cannot decode value from topic 'sitewire.alerts': schema registry unavailable"
                        + " while fetching writer schema id " + id + ": Schema registry " + url
                        + " unreachable: get schema id " + id + " failed after 3 attempts in ")
                .hasMessageContaining("ConnectException")
                .satisfies(e -> assertThat(((AvroSerdeException) e).isPoison()).isFalse());
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsClearly() {
        // Given a serializer that may not register
        final AvroSerializer<Alert> serializer = new AvroSerializer<>(registry, false, false);

        // When / Then
        assertThatThrownBy(() -> serializer.serialize(TOPIC, SampleEvents.alert()))
                .isInstanceOf(SchemaNotRegisteredException.class)
                .hasMessage("Cannot encode value for topic 'sitewire.alerts': the schema of io.sitewire.events.Alert"
                        + " is not registered under subject 'sitewire.alerts-value' in the schema registry at "
                        + registry.url() + ", and auto.register.schemas is false (error_code 40401: Subject "
                        + "'sitewire.alerts-value' not found.)");

        // And once registered (by provisioning, say) it writes with that id
        final int id = registry.register("sitewire.alerts-value", AvroSchemas.forClass(Alert.class));
        assertThat(WireFormat.schemaIdOf(serializer.serialize(TOPIC, SampleEvents.alert()))).isEqualTo(id);
    }

    @Test
    void anIncompatibleSchemaIsRejectedWithTheRegistrysReason() {
        // Given the subject already holds a SensorReading without sensorId (BACKWARD, the default)
        final Schema older = withoutField(AvroSchemas.forClass(SensorReading.class), "sensorId");
        registry.register("sitewire.sensor-readings-value", older);

        // When the current SensorReading, whose sensorId has no default, is written
        // Then it cannot be registered: new readers could not read the old records
        assertThatThrownBy(() -> AvroSerdes.forClass(SensorReading.class, registry, false).serializer()
                .serialize("sitewire.sensor-readings", SampleEvents.sensorReading()))
                .isInstanceOf(SchemaRejectedException.class)
                .hasMessageStartingWith("Cannot encode value for topic 'sitewire.sensor-readings': the schema "
                        + "registry at " + registry.url() + " rejected the schema of io.sitewire.events.SensorReading"
                        + " under subject 'sitewire.sensor-readings-value': HTTP 409, error_code 409: ")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("sensorId");
    }

    @Test
    void aNullInARequiredFieldCannotBeWritten() {
        // Given a record built around the builder's checks, with a null project id
        final SensorReading broken = new SensorReading(null, "s-1", "B1", Metric.co_ppm, 1.0, null, 1L);

        // When / Then
        assertThatThrownBy(() -> AvroSerdes.forClass(SensorReading.class, registry, false).serializer()
                .serialize(TOPIC, broken))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageStartingWith("Cannot encode value for topic 'sitewire.alerts': record of "
                        + "io.sitewire.events.SensorReading cannot be written with its schema: ")
                .hasMessageContaining("projectId");

        // And the serializer's reused encoder is not left in a bad state
        final byte[] next = AvroSerdes.forClass(SensorReading.class, registry, false).serializer()
                .serialize(TOPIC, SampleEvents.sensorReading());
        assertThat(AvroSerdes.forClass(SensorReading.class, registry, false).deserializer().deserialize(TOPIC, next))
                .isEqualTo(SampleEvents.sensorReading());
    }

    @Test
    void recordsFromAnOlderWriterSchemaReadWithDefaults() {
        // Given an older SensorReading: no workerId field, and fewer metrics
        final Schema current = AvroSchemas.forClass(SensorReading.class);
        final Schema older = withoutField(current, "workerId");
        final int olderId = registry.register("readings-value", older);
        final GenericRecord old = new GenericData.Record(older);
        old.put("projectId", "tower-7");
        old.put("sensorId", "co-3");
        old.put("zone", "B1");
        old.put("metric", new GenericData.EnumSymbol(older.getField("metric").schema(), "co_ppm"));
        old.put("value", 35.5);
        old.put("eventTime", SampleEvents.T0);

        // When a current consumer reads it
        final SensorReading read = new AvroDeserializer<>(SensorReading.class, registry, false)
                .deserialize("readings", frame(olderId, older, old));

        // Then the missing field takes its default
        assertThat(read.getWorkerId()).isNull();
        assertThat(read.getSensorId()).isEqualTo("co-3");
        assertThat(read.getMetric()).isEqualTo(Metric.co_ppm);
        assertThat(read.getValue()).isEqualTo(35.5);
    }

    @Test
    void recordsFromANewerWriterSchemaReadWithoutTheNewParts() {
        // Given a newer SensorReading: an extra field, and a metric symbol today's readers do not know
        final Schema newer = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"SensorReading\","
                + "\"namespace\":\"io.sitewire.events\",\"fields\":["
                + "{\"name\":\"projectId\",\"type\":\"string\"},{\"name\":\"sensorId\",\"type\":\"string\"},"
                + "{\"name\":\"zone\",\"type\":\"string\"},"
                + "{\"name\":\"metric\",\"type\":{\"type\":\"enum\",\"name\":\"Metric\",\"symbols\":[\"co_ppm\","
                + "\"h2s_ppm\",\"o2_pct\",\"lel_pct\",\"pm25_ugm3\",\"pm10_ugm3\",\"silica_ugm3\",\"noise_dba\","
                + "\"heart_rate_bpm\",\"vibration_ms2\",\"other\"],\"default\":\"other\"}},"
                + "{\"name\":\"value\",\"type\":\"double\"},"
                + "{\"name\":\"workerId\",\"type\":[\"null\",\"string\"],\"default\":null},"
                + "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"\"},"
                + "{\"name\":\"eventTime\",\"type\":\"long\"}]}");
        registry.register("readings-value", AvroSchemas.forClass(SensorReading.class));
        final int newerId = registry.register("readings-value", newer);
        final GenericRecord record = new GenericData.Record(newer);
        record.put("projectId", "tower-7");
        record.put("sensorId", "vib-1");
        record.put("zone", "B1");
        record.put("metric", new GenericData.EnumSymbol(newer.getField("metric").schema(), "vibration_ms2"));
        record.put("value", 4.2);
        record.put("workerId", "w-0412");
        record.put("unit", "m/s2");
        record.put("eventTime", SampleEvents.T0);

        // When a current consumer reads it
        final SensorReading read = new AvroDeserializer<>(SensorReading.class, registry, false)
                .deserialize("readings", frame(newerId, newer, record));

        // Then the new field is skipped and the unknown symbol becomes the enum's default
        assertThat(read.getMetric()).isEqualTo(Metric.other);
        assertThat(read.getWorkerId()).isEqualTo("w-0412");
        assertThat(read.getValue()).isEqualTo(4.2);
        assertThat(read.getEventTime()).isEqualTo(SampleEvents.T0);
    }

    @Test
    void serdeNamedInPropertiesIsConfiguredFromTheRegistryUrl() {
        // Given serdes built the way Kafka builds them from client properties
        final String name = "serde-config-" + UUID.randomUUID();
        final Map<String, Object> props = new HashMap<>();
        props.put(SchemaRegistryClients.URL, "mem://" + name);
        final AvroSerde<SpecificRecord> anyType = new AvroSerde<>();
        anyType.configure(props, false);
        props.put(AvroSerdes.SPECIFIC_VALUE_TYPE, Alert.class.getName());
        final AvroSerde<Alert> alerts = new AvroSerde<>();
        alerts.configure(props, false);

        try {
            // When records of two types go through the untyped serde and an Alert through the typed one
            final byte[] alert = alerts.serializer().serialize(TOPIC, SampleEvents.alert());
            final byte[] reading = anyType.serializer().serialize("readings", SampleEvents.sensorReading());

            // Then the untyped one reads each into the class its writer schema names
            assertThat(anyType.deserializer().deserialize(TOPIC, alert)).isEqualTo(SampleEvents.alert());
            assertThat(anyType.deserializer().deserialize("readings", reading))
                    .isEqualTo(SampleEvents.sensorReading());
            assertThat(alerts.deserializer().deserialize(TOPIC, alert)).isEqualTo(SampleEvents.alert());
            // And both used the shared registry that mem://NAME names
            assertThat(InMemorySchemaRegistry.named(name).versions(TOPIC + "-value")).containsExactly(1);
        } finally {
            InMemorySchemaRegistry.drop(name);
        }
    }

    @Test
    void autoRegisterCanBeTurnedOffInProperties() {
        // Given a serializer configured with auto.register.schemas=false
        final String name = "no-auto-" + UUID.randomUUID();
        final AvroSerializer<Alert> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SchemaRegistryClients.URL, "mem://" + name,
                AvroSerdes.AUTO_REGISTER_SCHEMAS, "false"), false);

        // When / Then
        try {
            assertThatThrownBy(() -> serializer.serialize(TOPIC, SampleEvents.alert()))
                    .isInstanceOf(SchemaNotRegisteredException.class);
        } finally {
            InMemorySchemaRegistry.drop(name);
        }
    }

    @Test
    void anUnconfiguredSerdeSaysWhatIsMissing() {
        assertThatThrownBy(() -> new AvroSerializer<Alert>().serialize(TOPIC, SampleEvents.alert()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroDeserializer<Alert>().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void onceCachedTheHotPathMakesNoRegistryCall() {
        // Given serdes over a registry that counts calls
        final CountingRegistry counting = new CountingRegistry(registry);
        final AvroSerde<Alert> serde = AvroSerdes.forClass(Alert.class, counting, false);

        // When a thousand records go through
        for (int i = 0; i < 1000; i++) {
            final Alert alert = Alert.newBuilder(SampleEvents.alert()).setAlertId("a-" + i).build();
            assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, alert)))
                    .isEqualTo(alert);
        }

        // Then the registry was asked once to register and once for the writer schema, not per record
        assertThat(counting.calls).containsExactly("register sitewire.alerts-value", "byId");
    }

    @Test
    void serdesAreSafeToShareBetweenThreads() throws Exception {
        // Given one serde shared by four threads, as Kafka Streams shares the serdes of a topology
        final AvroSerde<SensorReading> serde = AvroSerdes.forClass(SensorReading.class, registry, false);
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Callable<Integer>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                jobs.add(() -> {
                    for (int i = 0; i < 2000; i++) {
                        final SensorReading reading = SensorReading.newBuilder(SampleEvents.sensorReading())
                                .setSensorId("s-" + thread + "-" + i).setValue(i).build();
                        final SensorReading read = serde.deserializer()
                                .deserialize(TOPIC, serde.serializer().serialize(TOPIC, reading));
                        if (!read.equals(reading)) {
                            throw new AssertionError("thread " + thread + " read " + read + " for " + reading);
                        }
                    }
                    return 2000;
                });
            }

            // When they all write and read at once
            int total = 0;
            for (final Future<Integer> done : pool.invokeAll(jobs)) {
                total += done.get();
            }

            // Then every record came back as written
            assertThat(total).isEqualTo(8000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void decodeFailureNamesTopicPartitionAndOffset() {
        // Given a poison record's exception as a consumer's poll() throws it
        final AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class, registry, false);
        final WrongMagicByteException cause = catchWrongMagic(deserializer);
        final RecordDeserializationException polled = new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new TopicPartition(TOPIC, 3), 1234L, 0L, TimestampType.CREATE_TIME, null, null,
                new RecordHeaders(), "Error deserializing VALUE", cause);

        // When it is described
        // Then the description names where the record is, and why it failed
        final String expected = "Cannot decode value at topic 'sitewire.alerts' partition 3 offset 1234: first byte "
                + "is 0x7B ('{'), expected magic byte 0x00: the payload (2 bytes) is not Confluent-framed Avro";
        assertThat(DecodeFailure.describe(polled)).isEqualTo(expected);
        assertThat(DecodeFailure.describe(TOPIC, 3, 1234L, cause)).isEqualTo(expected);
        assertThat(DecodeFailure.find(polled)).containsSame(cause);
        assertThat(DecodeFailure.describe("t", 0, 5L, new IllegalStateException("boom")))
                .isEqualTo("Cannot decode record at topic 't' partition 0 offset 5: IllegalStateException: boom");
    }

    private static WrongMagicByteException catchWrongMagic(final AvroDeserializer<Alert> deserializer) {
        try {
            deserializer.deserialize(TOPIC, new byte[] {'{', '}'});
        } catch (final WrongMagicByteException e) {
            return e;
        }
        throw new AssertionError("expected a WrongMagicByteException");
    }

    /** A schema like {@code schema} without one field: an older version of it. */
    static Schema withoutField(final Schema schema, final String field) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field f : schema.getFields()) {
            if (!f.name().equals(field)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** The Confluent framing of a record written by another producer with {@code schema}. */
    static byte[] frame(final int id, final Schema schema, final GenericRecord record) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Records each call that reaches the registry; a real registry underneath. */
    private static final class CountingRegistry implements SchemaRegistryClient {

        final List<String> calls = new ArrayList<>();
        private final SchemaRegistryClient delegate;

        CountingRegistry(final SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized int register(final String subject, final Schema schema) {
            calls.add("register " + subject);
            return delegate.register(subject, schema);
        }

        @Override
        public synchronized int idOf(final String subject, final Schema schema) {
            calls.add("idOf " + subject);
            return delegate.idOf(subject, schema);
        }

        @Override
        public synchronized Schema byId(final int id) {
            calls.add("byId");
            return delegate.byId(id);
        }

        @Override
        public List<Integer> versions(final String subject) {
            return delegate.versions(subject);
        }

        @Override
        public boolean isCompatible(final String subject, final Schema schema) {
            return delegate.isCompatible(subject, schema);
        }

        @Override
        public void setCompatibility(final String subject, final String level) {
            delegate.setCompatibility(subject, level);
        }

        @Override
        public String url() {
            return delegate.url();
        }
    }
}
