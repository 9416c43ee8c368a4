package io.sitewire.streams.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sitewire.events.Priority;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of what the app writes: alerts per priority and dead letters, as acknowledged by the broker
 * (counted by {@link OutputCountingInterceptor}, which Kafka instantiates itself, hence static), and stream threads
 * replaced after a failure. Under exactly-once a record of an aborted transaction was acknowledged too, so these count
 * writes, not necessarily committed alerts: rates to watch, not an audit.
 */
public final class ProcessMetrics {

    private static final Map<Priority, LongAdder> ALERTS = new EnumMap<>(Priority.class);
    private static final LongAdder DEAD_LETTERS = new LongAdder();
    private static final LongAdder THREADS_REPLACED = new LongAdder();

    static {
        for (final Priority p : Priority.values()) {
            ALERTS.put(p, new LongAdder());
        }
    }

    private ProcessMetrics() {
    }

    static void alertWritten(final Priority priority) {
        ALERTS.get(priority).increment();
    }

    static void deadLetterWritten() {
        DEAD_LETTERS.increment();
    }

    public static void threadReplaced() {
        THREADS_REPLACED.increment();
    }

    public static long alertsWritten(final Priority priority) {
        return ALERTS.get(priority).sum();
    }

    public static long threadsReplaced() {
        return THREADS_REPLACED.sum();
    }

    public static long deadLettersWritten() {
        return DEAD_LETTERS.sum();
    }

    /** Registers the counters: sitewire_alerts_produced_total{priority}, sitewire_dead_letters_total, ... */
    public static void bindTo(final MeterRegistry registry) {
        ALERTS.forEach((priority, count) -> FunctionCounter.builder("sitewire.alerts.produced", count, LongAdder::sum)
                .description("alerts written to the priority topics (broker-acknowledged)")
                .tag("priority", priority.name()).register(registry));
        FunctionCounter.builder("sitewire.dead.letters", DEAD_LETTERS, LongAdder::sum)
                .description("dead letters written (broker-acknowledged)").register(registry);
        FunctionCounter.builder("sitewire.stream.threads.replaced", THREADS_REPLACED, LongAdder::sum)
                .description("stream threads replaced after a transient failure").register(registry);
    }
}
