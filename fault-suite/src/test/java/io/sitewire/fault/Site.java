package io.sitewire.fault;

import io.sitewire.gateway.GatewayMain;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.provision.ProvisionReport;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.StreamsApp;
import io.sitewire.streams.config.StreamsAppConfig;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test's site on the shared {@link FaultStack}: its own topic prefix (the catalogue's topics, replication factor 3,
 * min.insync.replicas 2), a project id, an acks=all idempotent producer, and the real streams app and gateways it
 * starts, all closed with it (last started, first closed).
 */
final class Site implements AutoCloseable {

    /** Generous: the suite must pass on a loaded 2-core CI machine, where a streams app takes ~40 s to start. */
    static final Duration WAIT = Duration.ofSeconds(Long.getLong("sitewire.fault.wait.seconds", 120));
    /** The gateways' HS256 secret: tokens are minted and verified for real. */
    static final String SECRET = "fault-suite-hs256-secret-of-at-least-32-bytes";

    final FaultStack stack;
    final String run;
    final String project;
    final TopicCatalogue catalogue;
    final RecordRouting routing;
    final Admin admin;
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    Site(final FaultStack stack, final String name) {
        AvroTrust.install();
        this.stack = stack;
        this.run = name.toLowerCase(Locale.ROOT) + UUID.randomUUID().toString().substring(0, 8);
        this.project = "site-" + run;
        this.catalogue = TopicCatalogue.withPrefix(run);
        this.routing = new RecordRouting(catalogue);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        final ProvisionReport report = new TopicProvisioner(admin, (short) 3, Duration.ofSeconds(60)).provision(catalogue.all());
        assertThat(report.created()).as("every topic of the catalogue is new to this run").hasSize(catalogue.all().size());
        this.registry = newRegistryClient();
        this.producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                AvroSerdes.forGeneratedClasses(registry, false).serializer());
    }

    /** A registry client with its own, empty schema cache (as a freshly started process has) and quick retries. */
    SchemaRegistryClient newRegistryClient() {
        return SchemaRegistryClients.newClient(registryConfig());
    }

    Map<String, Object> registryConfig() {
        return Map.of(SchemaRegistryClients.URL, stack.registry().ccompatUrl(),
                SchemaRegistryClients.RETRY_ATTEMPTS, 3,
                SchemaRegistryClients.RETRY_BACKOFF_MS, 100,
                SchemaRegistryClients.RETRY_BACKOFF_MAX_MS, 200,
                // Generous per attempt: a loaded CI machine's registry can take seconds to answer. A stopped registry
                // refuses connections at once, so an outage is still reported within a second.
                SchemaRegistryClients.REQUEST_TIMEOUT_MS, 10_000);
    }

    /** acks=all and idempotence: an acknowledged record is on at least min.insync.replicas brokers, once. */
    Properties producerProps() {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return props;
    }

    Future<RecordMetadata> send(final SpecificRecord event) {
        return producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event));
    }

    void send(final SpecificRecord event, final org.apache.kafka.clients.producer.Callback acked) {
        producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event), acked);
    }

    /**
     * Registers {@code sample}'s schema through the producer's registry client without sending anything: the producer
     * then holds that schema's id in its cache, and nobody else has seen it in a record.
     */
    void warmProducerCache(final SpecificRecord sample) {
        AvroSerdes.forGeneratedClasses(registry, false).serializer().serialize(routing.topicFor(sample).name(), sample);
    }

    void flush() {
        producer.flush();
    }

    /** The streams app as its main runs it (two instances, exactly_once_v2), with this run's ids and a fresh registry cache. */
    StreamsApp startStreams(final Path stateDir) {
        final Map<String, String> props = new HashMap<>();
        props.put(StreamsAppConfig.APPLICATION_ID, "streams-" + run);
        props.put(StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        props.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, stack.registry().ccompatUrl());
        props.put(StreamsAppConfig.TOPIC_PREFIX, run);
        props.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        // Streams does not leave its group on close; a restarted member waits for the old session to expire.
        props.put("kafka.session.timeout.ms", "6000");
        final StreamsAppConfig config = StreamsAppConfig.of(props);
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        final StreamsApp app = new StreamsApp(config, SchemaRegistryClients.newClient(config.registryConfig()));
        started.push(app);
        app.start();
        Awaitility.await("streams app running").atMost(WAIT).until(app::running);
        return app;
    }

    /** A real gateway ({@link GatewayMain#start}: HS256 tokens, room authorisation, ingest, metrics) on a free port. */
    GatewayMain.Running startGateway(final Map<String, String> overrides) {
        final Map<String, String> all = new HashMap<>();
        all.put("port", "0");
        all.put("bind.host", "127.0.0.1");
        all.put("bootstrap.servers", stack.bootstrapServers());
        all.put("schema.registry.url", stack.registry().ccompatUrl());
        all.put("topic.prefix", run);
        all.put("auth.hs256.secret", SECRET);
        // kafka.* keys reach the gateway's registry client too: quick retries, and a header unique to this run, which
        // also gives the gateway a schema cache of its own (clients with equal settings share one in a JVM).
        all.put("kafka.schema.registry.retry.attempts", "3");
        all.put("kafka.schema.registry.retry.backoff.ms", "100");
        all.put("kafka.schema.registry.retry.backoff.max.ms", "200");
        all.put("kafka.schema.registry.request.header.X-Sitewire-Run", run);
        all.putAll(overrides);
        final GatewayMain.Running gateway = GatewayMain.start(GatewayConfig.of(all));
        started.push(gateway);
        Awaitility.await("gateway ready").atMost(WAIT).until(gateway.server()::ready);
        return gateway;
    }

    /**
     * Waits until both instances of the streams app have committed every input record produced so far: everything
     * they need for those record types (schemas fetched, internal subjects registered) is then in their caches.
     */
    void awaitStreamsCaughtUp() {
        final String site = "streams-" + run;
        final Map<String, List<TopicSpec<?>>> inputs = Map.of(
                site + StreamsAppConfig.EMERGENCY_SUFFIX, List.of(catalogue.wearableAlarms()),
                site, List.of(catalogue.wearableAlarms(), catalogue.sensorReadings()));
        Awaitility.await("streams app caught up").atMost(WAIT)
                .until(() -> inputs.entrySet().stream().allMatch(e -> caughtUp(e.getKey(), e.getValue())));
    }

    private boolean caughtUp(final String group, final List<TopicSpec<?>> topics) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.forEach(t -> IntStream.range(0, t.partitions())
                    .forEach(p -> latest.put(new TopicPartition(t.name(), p), OffsetSpec.latest())));
            final var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset());
        } catch (Exception e) {
            return false;
        }
    }

    String token(final String subject) {
        return TestTokens.hs256(SECRET, subject, List.of(project), List.of("manager"), List.of(), Duration.ofHours(2));
    }

    String projectRoom() {
        return "project:" + project;
    }

    /** Every committed record of {@code topic} up to its end now, in partition order (read_committed, no group). */
    List<ConsumerRecord<String, byte[]>> committedRecords(final TopicSpec<?> topic) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end " + end + " within " + WAIT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Decodes with a fresh registry client (so it proves the registry serves the writer schema). */
    <V extends SpecificRecord> List<V> committedValues(final TopicSpec<V> topic) {
        final var deserializer = AvroSerdes.forClass(topic.valueType(), newRegistryClient(), false).deserializer();
        return committedRecords(topic).stream().map(r -> deserializer.deserialize(r.topic(), r.value())).toList();
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // Closing a part a test already stopped or killed may fail; the test has its result.
            }
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
