package io.sitewire.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sitewire.events.Priority;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The gateway's meters, registered once: names are sitewire_gateway_* in Prometheus. */
public final class GatewayMetrics {

    private static final Priority[] PRIORITIES = Priority.values();
    /** Size of the array {@link #sent(int[])} takes. */
    public static final int SENT_SLOTS = PRIORITIES.length + 1;

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    // Summed over the connections when scraped, not counted per frame: a shared counter touched by the tailer and the
    // send threads once per frame per connection was a fifth of the gateway's samples in a 10,000-client flood.
    private volatile Supplier<Long> queuedFrames = () -> 0L;
    private volatile Supplier<Integer> deepestQueue = () -> 0;
    private final AtomicLong tailerLag = new AtomicLong();
    private final Map<Priority, Counter> framesSent = new EnumMap<>(Priority.class);
    private final Counter controlFramesSent;
    private final Counter slowConsumerCloses;
    private final Counter rateLimited;
    private final Counter badFrames;
    private final Counter decodeFailures;
    private final Counter recordsDispatched;
    private final Counter replayedRecords;
    private final Counter gaps;
    private final Timer replayDuration;
    private final DistributionSummary replayLag;

    public GatewayMetrics(final MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sitewire.gateway.connections", connections, AtomicInteger::get).description("open WebSocket connections").register(registry);
        Gauge.builder("sitewire.gateway.queued.frames", () -> queuedFrames.get()).description("frames waiting in all send queues").register(registry);
        Gauge.builder("sitewire.gateway.tailer.lag", tailerLag, AtomicLong::get).description("records the live tailer is behind the log end").register(registry);
        for (final Priority p : Priority.values()) {
            framesSent.put(p, Counter.builder("sitewire.gateway.frames.sent").tag("priority", p.name()).description("event frames sent").register(registry));
        }
        controlFramesSent = Counter.builder("sitewire.gateway.frames.sent").tag("priority", "control").register(registry);
        slowConsumerCloses = Counter.builder("sitewire.gateway.slow.consumer.closes").description("connections closed with 4008").register(registry);
        rateLimited = Counter.builder("sitewire.gateway.rate.limited").description("client frames refused by the rate limit").register(registry);
        badFrames = Counter.builder("sitewire.gateway.bad.frames").description("client frames answered with an error").register(registry);
        decodeFailures = Counter.builder("sitewire.gateway.decode.failures").description("Kafka records that did not decode").register(registry);
        recordsDispatched = Counter.builder("sitewire.gateway.records.dispatched").description("records the live tailer handed to at least one connection").register(registry);
        replayedRecords = Counter.builder("sitewire.gateway.replay.records").description("history frames queued by replays").register(registry);
        gaps = Counter.builder("sitewire.gateway.gaps").description("gap frames (history past retention)").register(registry);
        replayDuration = Timer.builder("sitewire.gateway.replay.duration").description("time from a subscribe with history to its replayed frame").register(registry);
        replayLag = DistributionSummary.builder("sitewire.gateway.replay.lag").description("records between a replay's start and the live position").register(registry);
        // A gauge read when scraped, not a distribution fed per queued frame: recording into a shared summary from the
        // fan-out loop was a fifth of the gateway's samples in a flood.
        Gauge.builder("sitewire.gateway.queue.depth.max", () -> deepestQueue.get()).description("frames in the deepest send queue").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void gauge(final String name, final Supplier<Number> value) {
        Gauge.builder(name, value).register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public int connections() {
        return connections.get();
    }

    /** Where the queued-frames gauge comes from (the sum of the connections' queues). */
    public void queuedFramesFrom(final Supplier<Long> source) {
        queuedFrames = source;
    }

    /** Where the deepest-queue gauge comes from (the largest of the connections' queues). */
    public void deepestQueueFrom(final Supplier<Integer> source) {
        deepestQueue = source;
    }

    /** Frames sent, counted by a connection's send round: {@code byPriority[p.ordinal()]}, control frames last. */
    public void sent(final int[] byPriority) {
        for (final Priority p : PRIORITIES) {
            if (byPriority[p.ordinal()] > 0) {
                framesSent.get(p).increment(byPriority[p.ordinal()]);
            }
        }
        if (byPriority[PRIORITIES.length] > 0) {
            controlFramesSent.increment(byPriority[PRIORITIES.length]);
        }
    }

    public void slowConsumer() {
        slowConsumerCloses.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void badFrame() {
        badFrames.increment();
    }

    public void decodeFailure() {
        decodeFailures.increment();
    }

    public void dispatched() {
        recordsDispatched.increment();
    }

    public void replayed(final long records) {
        replayedRecords.increment(records);
    }

    public void gap() {
        gaps.increment();
    }

    public Timer replayDuration() {
        return replayDuration;
    }

    public void replayLag(final long records) {
        replayLag.record(records);
    }

    public void tailerLag(final long records) {
        tailerLag.set(records);
    }

    public double framesSent(final Priority priority) {
        return framesSent.get(priority).count();
    }

    public double slowConsumerCloses() {
        return slowConsumerCloses.count();
    }
}
