package io.sitewire.streams;

import io.sitewire.events.Alert;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A TopologyTestDriver around {@link AlertsTopology#build}: its own in-memory registry (unique name per test), real
 * Avro serdes on every topic, and typed pipes whose record timestamp is the event's own time.
 */
final class Harness implements AutoCloseable {

    /** 2023-11-14T22:13:20Z: the wall clock every test starts at. */
    static final long T0 = 1_700_000_000_000L;

    final TopicCatalogue catalogue;
    final StreamsAppConfig config;
    final InMemorySchemaRegistry registry;
    final String registryName;
    final TopologyTestDriver driver;
    private final Map<Class<?>, Serde<?>> serdes = new HashMap<>();
    private final Map<String, TestInputTopic<String, Object>> inputs = new HashMap<>();
    private final Map<String, TestOutputTopic<String, ?>> outputs = new HashMap<>();

    Harness(final Path stateDir) {
        this(stateDir, Map.of());
    }

    Harness(final Path stateDir, final Map<String, String> overrides) {
        registryName = "streams-test-" + UUID.randomUUID();
        final Map<String, String> props = new LinkedHashMap<>();
        props.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, "mem://" + registryName);
        props.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        props.put(StreamsAppConfig.APPLICATION_ID, "test-" + registryName);
        props.putAll(overrides);
        config = StreamsAppConfig.of(props);
        catalogue = config.catalogue();
        registry = InMemorySchemaRegistry.named(registryName);
        final Properties streamsProps = config.streamsProperties(Instance.ALL);
        driver = new TopologyTestDriver(AlertsTopology.build(config, registry), streamsProps, Instant.ofEpochMilli(T0));
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.drop(registryName);
    }

    // ----- input -------------------------------------------------------------------------------------------------

    void pipe(final SpecificRecord event) {
        final TopicSpec<?> topic = new io.sitewire.schemas.topics.RecordRouting(catalogue).topicFor(event);
        final long time = io.sitewire.streams.support.EventTimeExtractor.eventTime(event, T0);
        input(topic.name(), event.getClass()).pipeInput(new TestRecord<>(projectOf(event), event, Instant.ofEpochMilli(time)));
    }

    /** Raw bytes on a topic, as a broken producer would send them. */
    void pipeRaw(final String topic, final String key, final byte[] value, final long timestamp) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(timestamp)));
    }

    void advanceWallClock(final Duration by) {
        driver.advanceWallClockTime(by);
    }

    // ----- output ------------------------------------------------------------------------------------------------

    /** Every alert produced since the last call, EMERGENCY topic first; checks each is on its priority's topic. */
    List<Alert> alerts() {
        final List<Alert> all = new ArrayList<>();
        for (final Priority priority : Priority.values()) {
            for (final Alert alert : values(catalogue.alerts().topic(priority))) {
                if (alert.getPriority() != priority) {
                    throw new AssertionError("alert " + alert.getAlertId() + " of priority " + alert.getPriority()
                            + " is on the " + priority + " topic");
                }
                all.add(alert);
            }
        }
        return all;
    }

    List<Alert> alertsOn(final Priority priority) {
        return values(catalogue.alerts().topic(priority));
    }

    List<KeyValue<String, WorkerState>> workerStates() {
        return keyValues(catalogue.workerState());
    }

    List<KeyValue<String, EquipmentStatus>> equipmentStates() {
        return keyValues(catalogue.equipmentState());
    }

    List<KeyValue<String, ZoneHeadcount>> headcounts() {
        return keyValues(catalogue.headcount());
    }

    List<KeyValue<String, RollCall>> rollCalls() {
        return keyValues(catalogue.rollCall());
    }

    List<KeyValue<String, DeadLetter>> deadLetters() {
        return keyValues(catalogue.deadLetter());
    }

    private <V extends SpecificRecord> List<V> values(final TopicSpec<V> topic) {
        return keyValues(topic).stream().map(kv -> kv.value).toList();
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> List<KeyValue<String, V>> keyValues(final TopicSpec<V> topic) {
        final TestOutputTopic<String, V> out = (TestOutputTopic<String, V>) outputs.computeIfAbsent(topic.name(),
                n -> driver.createOutputTopic(n, new StringDeserializer(), serde(topic.valueType()).deserializer()));
        return out.readKeyValuesToList();
    }

    @SuppressWarnings("unchecked")
    private TestInputTopic<String, Object> input(final String topic, final Class<?> type) {
        return inputs.computeIfAbsent(topic, n -> {
            final Serde<Object> serde = (Serde<Object>) (Serde<?>) serde((Class<? extends SpecificRecord>) type);
            return driver.createInputTopic(n, new StringSerializer(), serde.serializer());
        });
    }

    @SuppressWarnings("unchecked")
    <V extends SpecificRecord> Serde<V> serde(final Class<V> type) {
        return (Serde<V>) serdes.computeIfAbsent(type, t -> AvroSerdes.forClass(type, registry, false));
    }

    private static String projectOf(final SpecificRecord event) {
        return event.get(event.getSchema().getField("projectId").pos()).toString();
    }

    static Map<String, String> atLeastOnce() {
        return Map.of(StreamsAppConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE);
    }

    static Duration ms(final long ms) {
        return Duration.ofMillis(ms);
    }
}
