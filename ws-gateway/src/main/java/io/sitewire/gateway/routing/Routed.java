package io.sitewire.gateway.routing;

import io.sitewire.events.Priority;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.schemas.EventType;
import java.util.List;

/** Where one record goes: its rooms (no duplicates, stable order), priority, JSON type name and event time. */
public record Routed(List<Room> rooms, Priority priority, EventType type, long eventTime) {

    public Routed {
        rooms = List.copyOf(rooms);
    }
}
