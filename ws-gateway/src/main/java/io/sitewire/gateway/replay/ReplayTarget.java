package io.sitewire.gateway.replay;

import io.sitewire.gateway.fanout.Outbox;
import io.sitewire.gateway.fanout.Subscription;
import io.sitewire.gateway.rooms.Room;
import java.time.Instant;

/** The connection side of one replay (implemented by the connection). */
public interface ReplayTarget {

    Subscription subscription();

    /** False once the connection closed or the subscription was cancelled: the replay stops. */
    boolean active();

    /**
     * Registers the subscription (buffering live frames) with {@code start} as its replay progress,
     * queues subscribed, presence and snapshot frames, and returns the tailer position it registered at.
     */
    long[] register(long[] start);

    /** Queues a gap frame. */
    void gap(Room room, String topic, int partition, long fromOffset, long toOffset);

    /** Queues a history frame, waiting for queue space until the deadline; false if it could not. */
    boolean replay(Outbox.ReplayItem item, Instant deadline) throws InterruptedException;

    /** History delivered up to {@code handover}: queue replayed, flush buffered live frames, go live. */
    void finish(long[] handover, long[] floor, long count);

    /** The replay failed: tell the client (error frame with this code and message) and drop the subscription. */
    void fail(String code, String message);
}
