package io.sitewire.simulator;

import io.sitewire.schemas.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a run.
 *
 * @param simStartMs     sim time of the start (epoch ms)
 * @param simTimeMs      sim time up to which every event has been generated
 * @param wallElapsed    wall-clock time since the start
 * @param generated      events the model produced, by type
 * @param delivered      events the sink confirmed (Kafka: acknowledged by the broker with acks=all), by type
 * @param failed         events the sink gave up on
 * @param inFlight       events handed to the sink and not yet confirmed
 * @param incidentsFired incidents played so far
 * @param finished       the configured duration was reached and everything was flushed
 */
public record SimulatorStats(
        long simStartMs,
        long simTimeMs,
        Duration wallElapsed,
        Map<EventType, Long> generated,
        Map<EventType, Long> delivered,
        long failed,
        int inFlight,
        List<FiredIncident> incidentsFired,
        boolean finished) {

    public SimulatorStats {
        generated = Map.copyOf(generated);
        delivered = Map.copyOf(delivered);
        incidentsFired = List.copyOf(incidentsFired);
    }

    public long generatedTotal() {
        return generated.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deliveredTotal() {
        return delivered.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Delivered events per wall-clock second over the whole run: the achieved rate. */
    public double deliveredPerSecond() {
        final double seconds = wallElapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : deliveredTotal() / seconds;
    }

    public Duration simElapsed() {
        return Duration.ofMillis(Math.max(0, simTimeMs - simStartMs + 1));
    }
}
