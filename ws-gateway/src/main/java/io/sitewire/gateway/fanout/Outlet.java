package io.sitewire.gateway.fanout;

import io.sitewire.gateway.rooms.Room;

/** Where the hub hands frames of a connection (the connection's outbox and send pump). */
public interface Outlet {

    /** Queues a live frame; false if the connection's queue is full (the outlet then closes it as a slow consumer). */
    boolean offerLive(LiveEvent event, Room room, Subscription flushedFor);

    /** Queues an already built control frame (presence, snapshot); false if full. */
    boolean offerControl(String text);

    /** The queue is full: close the connection, the client resumes from its cursor. */
    void slowConsumer();

    /** Sets the connection's first live claim when its first subscription registers (hub lock held). */
    void initLiveClaim(long[] positions, long seq);

    /** The presence identity of the connection. */
    io.sitewire.gateway.ws.PresenceClient presence();
}
