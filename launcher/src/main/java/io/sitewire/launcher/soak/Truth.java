package io.sitewire.launcher.soak;

import java.util.Set;

/**
 * What was really written, per streamed partition (key {@code topicIndex-partition}, as in a frame's {@code pos}):
 * the offsets of its committed records in order, from the soak's start, and how far they are known.
 */
interface Truth {

    /** Index of {@code offset} among the partition's known offsets, or a negative number if it is not one of them. */
    int indexOf(String partition, long offset);

    /** The offset at {@code index} among the partition's known offsets (an index {@link #indexOf} returned). */
    long offsetAt(String partition, int index);

    /** The next offset not yet known: offsets below it are known for sure. */
    long knownUpTo(String partition);

    /** True when the partition's topic is compacted: Kafka's log cleaner may remove a record once a later one has its key. */
    boolean compacted(String partition);

    /**
     * The offsets in {@code [from, to)} that the partition's log still holds now, or null if the log could not be read.
     * A record the log no longer holds cannot be replayed to anyone.
     */
    Set<Long> stillInLog(String partition, long from, long to);
}
