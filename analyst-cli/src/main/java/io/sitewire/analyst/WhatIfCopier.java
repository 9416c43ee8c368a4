package io.sitewire.analyst;

import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.replay.ReplayedRecord;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes replayed input records into their what-if counterparts: same key, same timestamp, same partition (when the
 * partition counts agree, so each partition keeps its order), value re-encoded under the what-if topic's subject.
 * Every target is checked to belong to the what-if set before anything is sent.
 */
final class WhatIfCopier implements Consumer<ReplayedRecord>, AutoCloseable {

    private final WhatIfSet set;
    private final TopicCatalogue source;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Map<String, TopicSpec<?>> targets = new HashMap<>();
    private final Map<String, long[]> copied = new LinkedHashMap<>();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    WhatIfCopier(final Map<String, Object> clientConfig, final SchemaRegistryClient registry, final TopicCatalogue source,
            final WhatIfSet set) {
        this.set = set;
        this.source = source;
        final Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sitewire-replay-" + set.applicationId());
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(registry, false));
    }

    @Override
    public void accept(final ReplayedRecord record) {
        final Exception failed = sendFailure.get();
        if (failed != null) {
            throw new IllegalStateException("copying to the what-if topics failed: " + failed.getMessage(), failed);
        }
        final TopicSpec<?> target = targets.computeIfAbsent(record.topic(), this::target);
        final Integer partition = record.partition() < target.partitions() ? record.partition() : null;
        producer.send(new ProducerRecord<>(target.name(), partition, record.timestamp(), record.key(), record.value()),
                (metadata, error) -> {
                    if (error != null) {
                        sendFailure.compareAndSet(null, error);
                    }
                });
        copied.computeIfAbsent(target.name(), k -> new long[1])[0]++;
    }

    /** Waits for every record to be acknowledged; throws if any was not. */
    void flush() {
        producer.flush();
        final Exception failed = sendFailure.get();
        if (failed != null) {
            throw new IllegalStateException("copying to the what-if topics failed: " + failed.getMessage(), failed);
        }
    }

    /** Records copied per what-if topic. */
    Map<String, Long> copied() {
        final Map<String, Long> counts = new LinkedHashMap<>();
        copied.forEach((k, v) -> counts.put(k, v[0]));
        return counts;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private TopicSpec<?> target(final String sourceTopic) {
        final TopicSpec<?> from = source.byName(sourceTopic)
                .orElseThrow(() -> new IllegalStateException(sourceTopic + " is not a topic of " + source.prefix()));
        final TopicSpec<?> to = set.counterpart(from);
        if (!set.owns(to.name()) || source.byName(to.name()).isPresent()) {
            // Unreachable by construction (WhatIfSet.of refuses the source prefix); kept because the cost of being
            // wrong here is writing into live topics.
            throw new IllegalStateException("refusing to write " + to.name() + ": not a what-if topic of " + set.applicationId());
        }
        return to;
    }
}
