package io.sitewire.simulator;

import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces events to their catalogued topics ({@link RecordRouting}: topic by type and priority, key = project id) as
 * Avro in the Confluent wire format, with acks=all and idempotence, so a retried send is neither lost nor doubled.
 *
 * <p>Extra properties go to the producer, except the registry's own keys ({@code schema.registry.*},
 * {@code basic.auth.*}, {@code auto.register.schemas}), which go to the registry client. {@code acks} and
 * {@code enable.idempotence} cannot be weakened. Schemas are registered on first use unless
 * {@code auto.register.schemas=false} (then they must have been provisioned).
 */
public final class KafkaEventSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    private final Producer<String, SpecificRecord> producer;
    private final RecordRouting routing;
    private final Semaphore window;
    private final int maxInFlight;
    private final String bootstrapServers;
    private final AtomicLong failures = new AtomicLong();

    public KafkaEventSink(final String bootstrapServers, final String registryUrl, final TopicCatalogue catalogue,
            final Map<String, ?> kafkaExtraProps) {
        this(bootstrapServers, registryUrl, catalogue, kafkaExtraProps, DEFAULT_MAX_IN_FLIGHT);
    }

    public KafkaEventSink(final String bootstrapServers, final String registryUrl, final TopicCatalogue catalogue,
            final Map<String, ?> kafkaExtraProps, final int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        AvroTrust.install();
        this.bootstrapServers = bootstrapServers;
        this.routing = new RecordRouting(catalogue);
        this.maxInFlight = maxInFlight;
        this.window = new Semaphore(maxInFlight);
        final Map<String, Object> registryConfig = new HashMap<>();
        final Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "sitewire-simulator");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        kafkaExtraProps.forEach((key, value) -> {
            if (registryKey(key)) {
                registryConfig.put(key, value);
            } else {
                producerConfig.put(key, value);
            }
        });
        registryConfig.put(SchemaRegistryClients.URL, registryUrl);
        warnIfWeakened(producerConfig, ProducerConfig.ACKS_CONFIG, "all");
        warnIfWeakened(producerConfig, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        final SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(registryConfig);
        final boolean autoRegister = !"false".equalsIgnoreCase(String.valueOf(
                registryConfig.getOrDefault(AvroSerdes.AUTO_REGISTER_SCHEMAS, "true")).strip());
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new AvroSerializer<>(registry, false, autoRegister));
    }

    /** For tests: a sink over a producer built elsewhere (its serializers must write the Sitewire records). */
    KafkaEventSink(final Producer<String, SpecificRecord> producer, final TopicCatalogue catalogue, final int maxInFlight) {
        this.producer = producer;
        this.routing = new RecordRouting(catalogue);
        this.maxInFlight = maxInFlight;
        this.window = new Semaphore(maxInFlight);
        this.bootstrapServers = "(given producer)";
    }

    static boolean registryKey(final String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.")
                || key.equals(AvroSerdes.AUTO_REGISTER_SCHEMAS) || key.startsWith("specific.avro.");
    }

    private static void warnIfWeakened(final Map<String, Object> config, final String key, final String required) {
        final Object given = config.get(key);
        if (given != null && !required.equalsIgnoreCase(given.toString().strip())) {
            LOG.warn("ignoring {}={}: the simulator always produces with {}={}", key, given, key, required);
        }
    }

    @Override
    public void send(final List<? extends SpecificRecord> events, final Delivery delivery) throws InterruptedException {
        for (final SpecificRecord event : events) {
            window.acquire();
            final ProducerRecord<String, SpecificRecord> record;
            try {
                // No explicit timestamp: the record gets its wall-clock creation time. Sim time can run ahead of
                // the wall clock (speed > 1), and brokers reject timestamps over an hour in the future by default
                // (log.message.timestamp.after.max.ms); event time travels in the payload.
                record = new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event);
            } catch (final RuntimeException e) {
                window.release();
                fail(delivery, event, e);
                continue;
            }
            try {
                producer.send(record, (metadata, error) -> {
                    // Counted before the permit goes back: flush() returns once every permit is back, and the
                    // stats read after it must already hold this event (released first, the last count could
                    // land after the run's summary).
                    try {
                        if (error == null) {
                            delivery.delivered(event);
                        } else {
                            fail(delivery, event, error);
                        }
                    } finally {
                        window.release();
                    }
                });
            } catch (final org.apache.kafka.common.errors.InterruptException e) {
                window.release();
                fail(delivery, event, e);
                throw new InterruptedException("interrupted while sending");
            } catch (final RuntimeException e) {
                // Serialization (e.g. the registry unreachable for a new schema) and buffer-full errors land here.
                window.release();
                fail(delivery, event, e);
            }
        }
    }

    private void fail(final Delivery delivery, final SpecificRecord event, final Exception error) {
        final long n = failures.incrementAndGet();
        if (n <= 5 || n % 10_000 == 0) {
            LOG.warn("could not produce a {} (failure #{}): {}", event.getClass().getSimpleName(), n, error.toString());
        }
        delivery.failed(event, error);
    }

    @Override
    public boolean flush(final Duration timeout) throws InterruptedException {
        // producer.flush() sends what lingers now, but waits for every send without a bound (up to
        // delivery.timeout.ms, 2 min by default), which made a stop under load slow: it runs on a helper thread,
        // and the window, which says when everything is acknowledged, is what this bounded wait watches.
        final Thread flusher = new Thread(producer::flush, "sitewire-sim-flush");
        flusher.setDaemon(true);
        flusher.start();
        if (window.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            window.release(maxInFlight);
            return true;
        }
        return false;
    }

    @Override
    public int inFlight() {
        return maxInFlight - window.availablePermits();
    }

    @Override
    public String describe() {
        return "kafka " + bootstrapServers;
    }

    @Override
    public void close() {
        // After a flush nothing is pending and this is quick; after a failed flush, what is left is given up.
        producer.close(Duration.ofSeconds(5));
    }
}
