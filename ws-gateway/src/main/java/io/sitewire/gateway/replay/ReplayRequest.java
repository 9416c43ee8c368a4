package io.sitewire.gateway.replay;

/**
 * Where a subscribe's history starts: a decoded cursor (positions, -1 where it has none), the earliest
 * retained record, or the first record at or after an epoch-ms time.
 */
public record ReplayRequest(long[] cursor, boolean earliest, long fromTime) {

    public static ReplayRequest resume(final long[] positions) {
        return new ReplayRequest(positions, false, -1);
    }

    public static ReplayRequest fromEarliest() {
        return new ReplayRequest(null, true, -1);
    }

    public static ReplayRequest fromTime(final long epochMs) {
        return new ReplayRequest(null, false, epochMs);
    }
}
