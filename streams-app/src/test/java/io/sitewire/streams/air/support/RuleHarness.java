package io.sitewire.streams.air.support;

import io.sitewire.events.Alert;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A tiny topology around one rule family for TopologyTestDriver tests: the test catalogue's sensor-readings topic
 * into {@code readings}, the rules' alerts into one alerts topic, Avro serdes on a fresh in-memory registry.
 */
public final class RuleHarness implements AutoCloseable {

    /** Monday 2026-03-02 06:00 UTC, a multiple of every step and window used in the tests. */
    public static final long BASE = Instant.parse("2026-03-02T06:00:00Z").toEpochMilli();
    public static final long SECOND = 1000;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SensorReading> input;
    private final TestOutputTopic<String, Alert> output;
    private final Path stateDir;
    private final Topology topology;

    /**
     * @param testName unique per test (registry name, application id, topic prefix)
     * @param rules    builds the rules: (readings, registry) to alerts
     */
    public RuleHarness(final String testName,
            final BiFunction<KStream<String, SensorReading>, SchemaRegistryClient, KStream<String, Alert>> rules) {
        this.name = testName + "-" + SEQ.incrementAndGet();
        final InMemorySchemaRegistry registry = InMemorySchemaRegistry.named("rules-" + name);
        final TopicCatalogue topics = TopicCatalogue.withPrefix(prefix(name));
        final Serde<SensorReading> readingSerde = AvroSerdes.forClass(SensorReading.class, registry, false);
        final Serde<Alert> alertSerde = AvroSerdes.forClass(Alert.class, registry, false);
        final String alertsTopic = topics.alerts().topic(Priority.HIGH).name();

        final StreamsBuilder builder = new StreamsBuilder();
        final KStream<String, SensorReading> readings = builder.stream(topics.sensorReadings().name(),
                Consumed.with(Serdes.String(), readingSerde).withName("test-readings"));
        rules.apply(readings, registry).to(alertsTopic, Produced.with(Serdes.String(), alertSerde).withName("test-alerts"));
        this.topology = builder.build();

        try {
            final Path target = Path.of("target", "state");
            Files.createDirectories(target);
            this.stateDir = Files.createTempDirectory(target, name);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The wall clock is a day after BASE: readings are never "in the future" unless a test says so.
        this.driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(BASE + 24 * HOUR));
        this.input = driver.createInputTopic(topics.sensorReadings().name(), Serdes.String().serializer(), readingSerde.serializer());
        this.output = driver.createOutputTopic(alertsTopic, Serdes.String().deserializer(), alertSerde.deserializer());
    }

    private static String prefix(final String name) {
        final String p = ("test-" + name).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return p.length() > 41 ? p.substring(0, 35) + "-" + SEQ.get() : p;
    }

    public Topology topology() {
        return topology;
    }

    public void send(final SensorReading r) {
        input.pipeInput(r.getProjectId(), r, r.getEventTime());
    }

    public void sendAll(final List<SensorReading> readings) {
        readings.forEach(this::send);
    }

    /** Alerts produced since the last call. */
    public List<Alert> alerts() {
        return output.readValuesToList();
    }

    public void advanceWallClock(final java.time.Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** The value of a counter of {@link ReadingCounter}: {@code <operation>-total} of the rule family. */
    public double counter(final String family, final String operation) {
        double total = 0;
        for (final Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : driver.metrics().entrySet()) {
            final MetricName n = e.getKey();
            if (n.name().equals(operation + "-total") && family.equals(n.tags().get("rule-family"))) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    public static SensorReading reading(final String project, final String sensor, final String zone, final Metric metric,
            final double value, final long eventTime) {
        return SensorReading.newBuilder().setProjectId(project).setSensorId(sensor).setZone(zone).setMetric(metric)
                .setValue(value).setWorkerId(null).setEventTime(eventTime).build();
    }

    public static SensorReading worn(final String project, final String sensor, final String worker, final String zone,
            final Metric metric, final double value, final long eventTime) {
        return SensorReading.newBuilder().setProjectId(project).setSensorId(sensor).setZone(zone).setMetric(metric)
                .setValue(value).setWorkerId(worker).setEventTime(eventTime).build();
    }

    /** The alert with its wall-clock stamp removed, for comparing runs. */
    public static Alert withoutRaisedAt(final Alert a) {
        return Alert.newBuilder(a).setRaisedAt(0).build();
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.drop("rules-" + name);
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
