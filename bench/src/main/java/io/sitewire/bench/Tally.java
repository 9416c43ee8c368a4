package io.sitewire.bench;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What every client saw, summed: deliveries per tag (the scenario that produced the alert), delivery latency per
 * tag, the sequence numbers the bench producer had acknowledged (the reference for "missed") and where each was
 * delivered (to tell a frame certainly lost from one still queued).
 */
final class Tally {

    /** Where the gateway put a bench alert: {@code topicIndex-partition} and offset (the frame's {@code pos}). */
    record Position(String partition, long offset) {
    }

    private final Map<String, Recorder> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deliveries = new ConcurrentHashMap<>();
    private final BitSet produced = new BitSet();
    private final Map<Integer, Position> positions = new ConcurrentHashMap<>();
    final LongAdder errors = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder produceFailures = new LongAdder();
    final AtomicLong lastError = new AtomicLong();
    volatile String lastErrorText = "";

    void delivered(final String tag, final long latencyMs) {
        deliveries.computeIfAbsent(tag, t -> new LongAdder()).increment();
        latency.computeIfAbsent(tag, t -> new Recorder(3)).recordValue(Math.max(0, latencyMs));
    }

    long deliveries(final String tag) {
        final LongAdder n = deliveries.get(tag);
        return n == null ? 0 : n.sum();
    }

    /** The latencies recorded for the tag since the previous call (and resets them). */
    Histogram takeLatency(final String tag) {
        final Recorder r = latency.computeIfAbsent(tag, t -> new Recorder(3));
        return r.getIntervalHistogram();
    }

    synchronized void produced(final int seq) {
        produced.set(seq);
    }

    /** The acknowledged sequence numbers from {@code fromSeq} on. */
    synchronized BitSet producedFrom(final int fromSeq) {
        final BitSet copy = (BitSet) produced.clone();
        copy.clear(0, Math.max(0, fromSeq));
        return copy;
    }

    /** Records where a sequence number was delivered (the same for every client; the first report is kept). */
    void position(final int seq, final String partition, final long offset) {
        if (!positions.containsKey(seq)) {
            positions.putIfAbsent(seq, new Position(partition, offset));
        }
    }

    /** Where a sequence number was delivered, or null when no client has received it. */
    Position position(final int seq) {
        return positions.get(seq);
    }

    void error(final String text) {
        errors.increment();
        if (lastError.getAndIncrement() < 5) {
            System.out.println("  client error: " + text);
        }
        lastErrorText = text;
    }
}
