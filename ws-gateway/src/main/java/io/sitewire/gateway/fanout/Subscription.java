package io.sitewire.gateway.fanout;

import io.sitewire.gateway.rooms.Room;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscribe of one connection: its rooms and where it stands.
 *
 * <p>Hub side (guarded by the hub lock): LIVE subscriptions get live frames queued at once; BUFFER ones
 * (history still replaying) have them kept in {@link #buffer} until the handover. {@code floor} holds,
 * per partition, the first offset live may deliver when the client's cursor is ahead of this gateway's
 * tailer (a cursor written by a faster instance): older live records were already delivered.
 *
 * <p>Outbox side (guarded by the connection's lock): what the client has been sent of its history, for
 * the cursor of frames sent while the replay is not finished.
 */
public final class Subscription {

    /** Hub modes. */
    public enum Mode { BUFFER, LIVE, CLOSED }

    private final Outlet outlet;
    private final String id;
    private final List<Room> rooms;

    // hub side
    Mode mode = Mode.BUFFER;
    final List<Outbox.LiveItem> buffer = new ArrayList<>();
    long[] floor;

    // outbox side
    long[] replayClaim;
    boolean replayDone;
    int pendingFlushed;

    private volatile boolean cancelled;

    public Subscription(final Outlet outlet, final String id, final List<Room> rooms) {
        this.outlet = outlet;
        this.id = id;
        this.rooms = List.copyOf(rooms);
    }

    public Outlet outlet() {
        return outlet;
    }

    public String id() {
        return id;
    }

    public List<Room> rooms() {
        return rooms;
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
