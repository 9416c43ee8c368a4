package io.sitewire.analyst;

import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Tells when a Kafka Streams app has processed everything in its input: its consumer group has committed, on every
 * partition of every topic its sub-topologies read (the what-if inputs and its own repartition topics), an offset at
 * the partition's end (committed records only). Under exactly-once a task commits its input offsets together with
 * what it wrote, and under at-least-once it flushes its writes before committing, so once the group is at the end
 * everywhere, every alert the input caused is in the output topics.
 */
final class StreamsCompletion {

    private final Admin admin;
    private final String groupId;
    private final List<TopicPartition> partitions;

    private StreamsCompletion(final Admin admin, final String groupId, final List<TopicPartition> partitions) {
        this.admin = admin;
        this.groupId = groupId;
        this.partitions = partitions;
    }

    /**
     * For the app {@code applicationId} running {@code topology}: its source topics are the catalogue topics it
     * names, and every other source is a repartition topic, named {@code <application.id>-<name>} on the broker.
     * Global stores (read by a consumer outside the group) are not counted.
     */
    static StreamsCompletion of(final Admin admin, final String applicationId, final Topology topology,
            final TopicCatalogue catalogue, final Duration timeout) {
        final Set<String> topics = new LinkedHashSet<>();
        for (final TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (final TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    for (final String topic : source.topicSet()) {
                        topics.add(catalogue.byName(topic).isPresent() ? topic : applicationId + "-" + topic);
                    }
                }
            }
        }
        final Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames(), timeout);
        final List<TopicPartition> partitions = new ArrayList<>();
        described.forEach((name, d) -> d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        return new StreamsCompletion(admin, applicationId, partitions);
    }

    /** Offsets the group still has to process, all partitions together (0: done). */
    long remaining(final Duration timeout) {
        final Map<TopicPartition, OffsetAndMetadata> committed =
                get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), timeout);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        final var ends = get(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), timeout);
        long remaining = 0;
        for (final TopicPartition tp : partitions) {
            final long end = ends.get(tp).offset();
            final OffsetAndMetadata at = committed.get(tp);
            remaining += Math.max(0, end - (at == null ? 0 : at.offset()));
        }
        return remaining;
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future, final Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
