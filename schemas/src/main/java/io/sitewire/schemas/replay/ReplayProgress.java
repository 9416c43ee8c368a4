package io.sitewire.schemas.replay;

import java.time.Duration;

/**
 * How far a replay is. {@code offsetsDone / offsetsTotal} is the fraction of the planned offsets passed; it is exact
 * for the stretch read, while {@code read} may end below {@code offsetsTotal} because transaction markers, aborted
 * transactions and compaction leave offsets without a record.
 *
 * @param offsetsDone  offsets passed so far, all partitions together
 * @param offsetsTotal offsets planned (end minus start, summed over partitions)
 * @param read         records read
 * @param matched      records that matched the filters and were handed on
 * @param failedDecodes records that could not be decoded
 * @param elapsed      time since the read began
 */
public record ReplayProgress(long offsetsDone, long offsetsTotal, long read, long matched, long failedDecodes,
        Duration elapsed) {

    /** Between 0 and 1; 1 for an empty plan. */
    public double fraction() {
        return offsetsTotal <= 0 ? 1.0 : Math.min(1.0, (double) offsetsDone / offsetsTotal);
    }

    /** Records read per second so far. */
    public double recordsPerSecond() {
        final double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : read / seconds;
    }
}
