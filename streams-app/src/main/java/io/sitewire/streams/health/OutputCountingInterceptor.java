package io.sitewire.streams.health;

import io.sitewire.events.Priority;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.config.StreamsAppConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Counts the alerts and dead letters the Streams producers get acknowledged, into {@link ProcessMetrics}. A producer
 * interceptor sees every record, the dead letters written by the exception handlers included, without a counting
 * step in the topology. Configured with the topic prefix ({@link StreamsAppConfig#HANDLER_TOPIC_PREFIX}).
 */
public final class OutputCountingInterceptor implements ProducerInterceptor<byte[], byte[]> {

    private final Map<String, Priority> alertTopics = new HashMap<>();
    private String deadLetterTopic = "";

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object prefix = configs.get(StreamsAppConfig.HANDLER_TOPIC_PREFIX);
        final TopicCatalogue catalogue = prefix == null ? TopicCatalogue.LIVE : TopicCatalogue.withPrefix(prefix.toString());
        for (final TopicSpec<?> topic : catalogue.alerts().topicsByUrgency()) {
            alertTopics.put(topic.name(), topic.priority().orElseThrow());
        }
        deadLetterTopic = catalogue.deadLetter().name();
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(final ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(final RecordMetadata metadata, final Exception exception) {
        if (exception != null || metadata == null) {
            return;
        }
        final Priority priority = alertTopics.get(metadata.topic());
        if (priority != null) {
            ProcessMetrics.alertWritten(priority);
        } else if (metadata.topic().equals(deadLetterTopic)) {
            ProcessMetrics.deadLetterWritten();
        }
    }

    @Override
    public void close() {
    }
}
