package io.sitewire.gateway.fanout;

import io.sitewire.gateway.rooms.Room;

/** Where the hub hands frames of a connection (the connection's outbox and send pump). */
public interface Outlet {

    /** {@link #offerLive} results: the queue is full (the hub then closes it as a slow consumer). */
    int FULL = 0;
    /** {@link #offerLive} results: queued; a send is already under way or scheduled. */
    int QUEUED = 1;
    /** {@link #offerLive} results: queued, and the caller must have {@link #pumpNow} run on a send thread. */
    int QUEUED_WAKE = 2;

    /**
     * Queues a live frame. The hub gathers the outlets that answer {@link #QUEUED_WAKE} while it dispatches a record and
     * hands them to the send threads in batches (one task per batch, not one per connection).
     */
    int offerLive(LiveEvent event, Room room, Subscription flushedFor);

    /** Sends what is queued (on a send thread, after {@link #QUEUED_WAKE}). */
    void pumpNow();

    /** Queues an already built control frame (presence, snapshot); false if full. */
    boolean offerControl(String text);

    /** The queue is full: close the connection, the client resumes from its cursor. */
    void slowConsumer();

    /** Sets the connection's first live claim when its first subscription registers (hub lock held). */
    void initLiveClaim(long[] positions, long seq);

    /** The presence identity of the connection. */
    io.sitewire.gateway.ws.PresenceClient presence();
}
