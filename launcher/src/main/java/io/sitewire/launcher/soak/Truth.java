package io.sitewire.launcher.soak;

/**
 * What was really written, per streamed partition (key {@code topicIndex-partition}, as in a frame's {@code pos}):
 * the offsets of its committed records in order, from the soak's start, and how far they are known.
 */
interface Truth {

    /** Index of {@code offset} among the partition's known offsets, or a negative number if it is not one of them. */
    int indexOf(String partition, long offset);

    /** The next offset not yet known: offsets below it are known for sure. */
    long knownUpTo(String partition);
}
