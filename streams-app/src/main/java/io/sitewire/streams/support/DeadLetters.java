package io.sitewire.streams.support;

import io.sitewire.events.DeadLetter;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.OutageWaitingRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.KeyLayout;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter records that Kafka Streams writes for our exception handlers (inside the same transaction as
 * the task's other output): a {@link DeadLetter} on catalogue.deadLetter(), keyed {@code topic/partition/offset}, with
 * the raw bytes of the failed record.
 */
public final class DeadLetters {

    /**
     * How long the app waits for an unreachable registry before a thread gives up (it then fails and resumes from its
     * last commit: nothing is skipped). Longer than a registry restart, shorter than forever so a stop is not held.
     */
    public static final Duration REGISTRY_OUTAGE_WAIT = Duration.ofMinutes(10);

    private final String app;
    private final String topic;
    private final Serializer<DeadLetter> serializer;
    private final Set<String> reportedElsewhere;

    public DeadLetters(final String app, final TopicCatalogue catalogue, final Serializer<DeadLetter> serializer,
            final Set<String> reportedElsewhere) {
        this.app = app;
        this.topic = catalogue.deadLetter().name();
        this.serializer = serializer;
        this.reportedElsewhere = Set.copyOf(reportedElsewhere);
    }

    /** From the Streams config a handler is configured with: application.id, topic prefix and registry settings. */
    public static DeadLetters fromConfig(final Map<String, ?> configs) {
        final Object prefix = configs.get(StreamsAppConfig.HANDLER_TOPIC_PREFIX);
        final TopicCatalogue catalogue = prefix == null ? TopicCatalogue.LIVE : TopicCatalogue.withPrefix(prefix.toString());
        final Serializer<DeadLetter> serializer = AvroSerdes.forClass(DeadLetter.class,
                OutageWaitingRegistryClient.wrap(SchemaRegistryClients.fromConfig(configs), REGISTRY_OUTAGE_WAIT), false)
                .serializer();
        final Object elsewhere = configs.get(StreamsAppConfig.HANDLER_DEAD_LETTERS_ELSEWHERE);
        final Set<String> topics = elsewhere == null || elsewhere.toString().isBlank() ? Set.of()
                : Set.of(elsewhere.toString().split(","));
        return new DeadLetters(String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)), catalogue, serializer,
                topics);
    }

    /** Whether another instance of the app writes the dead letters of this source topic (then we skip silently). */
    public boolean reportedElsewhere(final String sourceTopic) {
        return reportedElsewhere.contains(sourceTopic);
    }

    public ProducerRecord<byte[], byte[]> record(final ErrorHandlerContext context, final String reason) {
        return record(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), reason);
    }

    public ProducerRecord<byte[], byte[]> record(final String sourceTopic, final int partition, final long offset,
            final byte[] rawKey, final byte[] rawValue, final String reason) {
        final DeadLetter letter = DeadLetter.newBuilder()
                .setApp(app)
                .setSourceTopic(sourceTopic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .setReason(reason)
                .setFailedAt(System.currentTimeMillis())
                .build();
        final String key = KeyLayout.join(sourceTopic, Integer.toString(partition), Long.toString(offset));
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, letter));
    }
}
