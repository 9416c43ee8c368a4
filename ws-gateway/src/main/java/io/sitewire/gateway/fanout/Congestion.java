package io.sitewire.gateway.fanout;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of the open connections have a long queue of live frames: the live tailer's brake.
 *
 * <p>Frames are written by send threads, not by the tailer, so the tailer can dispatch faster than clients read. When
 * most connections fall behind (the clients, or the machine, are slower than the flow), the tailer holds back
 * NORMAL-lane records until they catch up, instead of filling every queue until everyone is closed as a slow consumer.
 * When only a minority falls behind, the tailer goes on: those connections are the slow ones, and their bounded queues
 * close them (4008) so they stall only themselves. URGENT-lane records are never held back.
 */
public final class Congestion {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger congested = new AtomicInteger();

    /** A connection opened. */
    public void opened() {
        connections.incrementAndGet();
    }

    /** A connection closed; {@code wasCongested} if it was counted as congested when it closed. */
    public void closed(final boolean wasCongested) {
        if (wasCongested) {
            congested.decrementAndGet();
        }
        connections.decrementAndGet();
    }

    /** A connection's queue of live frames reached its high-water mark. */
    public void enter() {
        congested.incrementAndGet();
    }

    /** A connection's queue of live frames went back under its low-water mark. */
    public void leave() {
        congested.decrementAndGet();
    }

    /** True while more than half of the open connections are congested. */
    public boolean saturated() {
        final int c = congested.get();
        return c > 0 && c * 2L > connections.get();
    }

    public int congested() {
        return congested.get();
    }
}
