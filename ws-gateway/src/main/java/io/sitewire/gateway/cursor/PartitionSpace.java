package io.sitewire.gateway.cursor;

import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.routing.StreamedTopics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Every streamed partition numbered 0..size-1 (topic by topic, in {@link StreamedTopics} order), so that a
 * position vector is a plain {@code long[]} (next offset per partition, -1 = none). Built once at start
 * from the partition counts the cluster reports.
 */
public final class PartitionSpace {

    private final StreamedTopics topics;
    private final int[] base;
    private final int[] counts;
    private final TopicPartition[] partitions;
    private final int[] topicOf;
    private final Lane[] laneOf;
    private final Map<TopicPartition, Integer> index = new HashMap<>();

    /** @param partitionCounts partitions per streamed topic, by topic index */
    public PartitionSpace(final StreamedTopics topics, final int[] partitionCounts) {
        if (partitionCounts.length != topics.size()) {
            throw new IllegalArgumentException("need a partition count for each of " + topics.size() + " topics");
        }
        this.topics = topics;
        this.counts = partitionCounts.clone();
        this.base = new int[counts.length];
        int total = 0;
        for (int t = 0; t < counts.length; t++) {
            base[t] = total;
            total += counts[t];
        }
        this.partitions = new TopicPartition[total];
        this.topicOf = new int[total];
        this.laneOf = new Lane[total];
        for (int t = 0; t < counts.length; t++) {
            final StreamedTopic topic = topics.get(t);
            for (int p = 0; p < counts[t]; p++) {
                final int i = base[t] + p;
                partitions[i] = new TopicPartition(topic.name(), p);
                topicOf[i] = t;
                laneOf[i] = topic.lane();
                index.put(partitions[i], i);
            }
        }
    }

    public int size() {
        return partitions.length;
    }

    public StreamedTopics topics() {
        return topics;
    }

    public TopicPartition partition(final int i) {
        return partitions[i];
    }

    public StreamedTopic topicOf(final int i) {
        return topics.get(topicOf[i]);
    }

    public Lane laneOf(final int i) {
        return laneOf[i];
    }

    public int partitionNumber(final int i) {
        return i - base[topicOf[i]];
    }

    /** The global index of a partition, or -1 if it is not streamed. */
    public int indexOf(final TopicPartition tp) {
        final Integer i = index.get(tp);
        return i == null ? -1 : i;
    }

    public int indexOf(final int topicIndex, final int partition) {
        return base[topicIndex] + partition;
    }

    public List<TopicPartition> all() {
        return List.of(partitions);
    }

    /** A vector with no positions. */
    public long[] empty() {
        final long[] v = new long[partitions.length];
        Arrays.fill(v, -1);
        return v;
    }

    /** The cursor string of a position vector. */
    public String encode(final long[] positions) {
        return CursorCodec.encode(counts, base, positions);
    }

    /**
     * The position vector of a cursor string (-1 where the cursor has no position, e.g. a partition added
     * since). Topic indexes this gateway does not know (a newer gateway's cursor) are ignored.
     */
    public long[] decode(final String cursor) {
        final Map<Integer, long[]> byTopic = CursorCodec.decode(cursor);
        final long[] v = empty();
        for (final Map.Entry<Integer, long[]> e : byTopic.entrySet()) {
            final int t = e.getKey();
            if (t >= counts.length) {
                continue;
            }
            final long[] offsets = e.getValue();
            for (int p = 0; p < Math.min(offsets.length, counts[t]); p++) {
                v[base[t] + p] = offsets[p];
            }
        }
        return v;
    }

    /** A readable form of a vector, for logs and messages. */
    public String describe(final long[] positions) {
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] >= 0) {
                parts.add(partitions[i] + "@" + positions[i]);
            }
        }
        return String.join(",", parts);
    }
}
