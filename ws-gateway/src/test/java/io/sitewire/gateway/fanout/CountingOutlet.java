package io.sitewire.gateway.fanout;

import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.ws.PresenceClient;

/** An outlet that accepts every frame, sends nothing and counts the live ones offered (hub tests and benchmarks). */
public final class CountingOutlet implements Outlet {

    private final PresenceClient presence;
    private long offered;

    public CountingOutlet(final String clientId) {
        this.presence = new PresenceClient(clientId, "u-" + clientId, "manager");
    }

    public long offered() {
        return offered;
    }

    @Override
    public int offerLive(final LiveEvent event, final Room room, final Subscription flushedFor) {
        offered++;
        return QUEUED;
    }

    @Override
    public void pumpNow() {
    }

    @Override
    public boolean offerControl(final String text) {
        return true;
    }

    @Override
    public void slowConsumer() {
    }

    @Override
    public void initLiveClaim(final long[] positions, final long seq) {
    }

    @Override
    public PresenceClient presence() {
        return presence;
    }
}
