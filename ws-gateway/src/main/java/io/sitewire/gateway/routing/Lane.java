package io.sitewire.gateway.routing;

import io.sitewire.events.Priority;

/**
 * The two send lanes of a connection. URGENT frames (EMERGENCY and URGENT) never wait in a send queue
 * behind NORMAL ones (HIGH, NORMAL, LOW); within a lane, frames keep their order.
 */
public enum Lane {
    URGENT, NORMAL;

    public static Lane of(final Priority priority) {
        return priority == Priority.EMERGENCY || priority == Priority.URGENT ? URGENT : NORMAL;
    }

    public Lane other() {
        return this == URGENT ? NORMAL : URGENT;
    }
}
