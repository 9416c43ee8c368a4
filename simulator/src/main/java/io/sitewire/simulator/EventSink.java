package io.sitewire.simulator;

import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where the simulator's events go: Kafka ({@link KafkaEventSink}), the gateway's HTTP ingest ({@link HttpIngestSink})
 * or NDJSON on a stream ({@link JsonLinesSink}). A sink bounds what it has in flight: {@link #send} blocks while the
 * window is full, which is how a slow broker slows the simulator down instead of filling memory.
 *
 * <p>{@link SiteSimulator} calls {@code send} from one thread; delivery callbacks may come from any thread.
 */
public interface EventSink extends AutoCloseable {

    /** Told of each event's outcome, once. */
    interface Delivery {
        void delivered(SpecificRecord event);

        void failed(SpecificRecord event, Exception error);
    }

    /** Hands the events over, in order; blocks while the in-flight window is full. */
    void send(List<? extends SpecificRecord> events, Delivery delivery) throws InterruptedException;

    /** Waits until everything sent so far is delivered or failed, at most {@code timeout}; true if it is. */
    boolean flush(Duration timeout) throws InterruptedException;

    /** Events handed over and not yet delivered or failed. */
    int inFlight();

    /** A short description for the progress line, e.g. "kafka 127.0.0.1:9092". */
    String describe();

    /** Releases the sink's resources; events still in flight may be lost (call {@link #flush} first). */
    @Override
    void close();
}
