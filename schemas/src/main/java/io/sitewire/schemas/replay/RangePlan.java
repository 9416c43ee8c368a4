package io.sitewire.schemas.replay;

import io.sitewire.schemas.topics.TopicSpec;
import java.util.List;

/**
 * A query turned into offsets: for every partition to read, where to start and where to stop, fixed when the plan
 * is made (so records produced during the read are not in it). Made by {@link RangeReader#plan}.
 *
 * @param query      the query
 * @param topics     the topics read, most urgent first
 * @param partitions the partitions with something to read
 * @param notes      topics left out by the filters, offsets that are no longer (or not yet) in the log
 */
public record RangePlan(RangeQuery query, List<TopicSpec<?>> topics, List<PartitionRange> partitions, List<String> notes) {

    public RangePlan {
        topics = List.copyOf(topics);
        partitions = List.copyOf(partitions);
        notes = List.copyOf(notes);
    }

    /** Offsets to pass in all: an upper bound of the records read (gaps are transaction markers or compaction). */
    public long estimatedRecords() {
        return partitions.stream().mapToLong(PartitionRange::size).sum();
    }

    /**
     * One partition's stretch.
     *
     * @param topic       its topic
     * @param partition   partition number
     * @param startOffset first offset read
     * @param stopOffset  first offset not read (exclusive)
     */
    public record PartitionRange(TopicSpec<?> topic, int partition, long startOffset, long stopOffset) {

        public long size() {
            return Math.max(0, stopOffset - startOffset);
        }

        @Override
        public String toString() {
            return topic.name() + "-" + partition + " [" + startOffset + ", " + stopOffset + ")";
        }
    }
}
