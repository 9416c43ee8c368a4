package io.sitewire.gateway.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTest {

    @Test
    void everyKindRoundTripsThroughItsWireName() {
        final List<Room> rooms = List.of(Room.project("p1"), Room.management("p1"), Room.trade("p1", "electrician"),
                Room.equipment("p1", "crane-2"), Room.safetyZone("p1", "basement"), Room.worker("p1", "w-7"));
        for (final Room room : rooms) {
            assertThat(Room.parse(room.name())).contains(room);
        }
        assertThat(Room.safetyZone("p1", "basement").name()).isEqualTo("safety-zone:basement:project:p1");
    }

    @Test
    void malformedNamesDoNotParse() {
        assertThat(List.of("", "project:", "project:p1:extra", "worker::project:p1", "weather:x:project:p1",
                "management:p1", "project:p 1", "x".repeat(400)))
                .allSatisfy(name -> assertThat(Room.parse(name)).as(name).isEmpty());
        assertThat(Room.parse(null)).isEmpty();
    }
}
