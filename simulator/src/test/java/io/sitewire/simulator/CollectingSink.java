package io.sitewire.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.specific.SpecificRecord;

/** A sink that keeps what it is sent, optionally holding deliveries back until released. */
final class CollectingSink implements EventSink {

    final List<SpecificRecord> received = new ArrayList<>();
    private final CountDownLatch gate;
    volatile boolean closed;

    CollectingSink() {
        this(0);
    }

    /** With {@code blocked > 0}, send() blocks until {@link #release()}: a sink whose window is full. */
    CollectingSink(final int blocked) {
        this.gate = new CountDownLatch(blocked > 0 ? 1 : 0);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public void send(final List<? extends SpecificRecord> events, final Delivery delivery) throws InterruptedException {
        gate.await();
        synchronized (received) {
            received.addAll(events);
        }
        events.forEach(delivery::delivered);
    }

    List<SpecificRecord> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public boolean flush(final Duration timeout) {
        // Deliveries are synchronous: nothing is in flight once send() returned; a blocked sink never flushes.
        return gate.getCount() == 0;
    }

    @Override
    public int inFlight() {
        return 0;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        closed = true;
    }
}
