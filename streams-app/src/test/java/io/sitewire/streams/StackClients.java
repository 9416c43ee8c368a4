package io.sitewire.streams;

import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real clients for ITs and the benchmark: topic provisioning, an event producer and read_committed consumers. */
final class StackClients implements AutoCloseable {

    final String bootstrap;
    final String registryUrl;
    final TopicCatalogue catalogue;
    final SchemaRegistryClient registry;
    private final RecordRouting routing;
    private final KafkaProducer<String, SpecificRecord> producer;

    StackClients(final String bootstrap, final String registryUrl, final TopicCatalogue catalogue) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.catalogue = catalogue;
        this.registry = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, registryUrl));
        this.routing = new RecordRouting(catalogue);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.forGeneratedClasses(registry, false).serializer());
    }

    /** Creates every topic of the catalogue (replication factor 1 on the single test broker). */
    void provision() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(catalogue.all());
        }
    }

    /** Sends to the event's topic under its project key and waits for the ack. */
    RecordMetadata send(final SpecificRecord event) {
        try {
            return producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event)).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Sends without waiting (benchmark). */
    void sendAsync(final SpecificRecord event) {
        producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event));
    }

    /** Sends without waiting; {@code acked} runs on the producer's I/O thread when the broker has it. */
    void sendAsync(final SpecificRecord event, final Runnable acked) {
        producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event), (m, e) -> {
            if (e == null) {
                acked.run();
            }
        });
    }

    void flush() {
        producer.flush();
    }

    /** Raw bytes, as a broken producer would send them. */
    void sendRaw(final String topic, final String key, final byte[] value) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A read_committed consumer of {@code topics} from the beginning, decoding any of our records. */
    KafkaConsumer<String, SpecificRecord> committedReader(final String groupId, final Collection<? extends TopicSpec<?>> topics) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        final KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.forGeneratedClasses(registry, false).deserializer());
        consumer.subscribe(topics.stream().map(TopicSpec::name).toList());
        return consumer;
    }

    /**
     * The app's config for a test run on this stack: application.id {@code streams-<prefix>}, this catalogue's topics,
     * {@code stateDir}, then {@code extra}.
     */
    StreamsAppConfig appConfig(final Path stateDir, final Map<String, String> extra) {
        final Map<String, String> settings = new HashMap<>();
        settings.put(StreamsAppConfig.APPLICATION_ID, "streams-" + catalogue.prefix());
        settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS, bootstrap);
        settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, registryUrl);
        settings.put(StreamsAppConfig.TOPIC_PREFIX, catalogue.prefix());
        settings.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        settings.putAll(extra);
        return StreamsAppConfig.of(settings);
    }

    List<TopicSpec<?>> alertTopics() {
        return List.copyOf(catalogue.alerts().topicsByUrgency());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
