package io.sitewire.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The presence snapshot a newcomer gets, whose client list the hub keeps made while a room's first 100 stay the same. */
class HubPresenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Room room = Room.project("p1");
    private Hub hub;

    @BeforeEach
    void setUp() {
        final StreamedTopics topics = new StreamedTopics(TopicCatalogue.LIVE);
        final int[] counts = new int[topics.size()];
        Arrays.fill(counts, 1);
        hub = new Hub(new PartitionSpace(topics, counts));
        hub.start(hub.space().empty());
    }

    @Test
    void aNewcomerToAFullRoomGetsTheFirstHundredAndTheCount() throws Exception {
        // Given 150 clients joined one by one
        final List<Subscription> subs = join(150);
        // When a 151st joins
        final JsonNode snapshot = JSON.readTree(snapshotOf(join(1).get(0)));
        // Then its snapshot counts 151 and lists the first 100, in join order
        assertThat(snapshot.get("count").asInt()).isEqualTo(151);
        assertThat(ids(snapshot)).containsExactlyElementsOf(
                subs.subList(0, Hub.PRESENCE_LIMIT).stream().map(s -> s.outlet().presence().clientId()).toList());
    }

    @Test
    void whenOneOfTheFirstHundredLeavesTheNextNewcomerSeesTheListMoveUp() throws Exception {
        // Given 150 clients, and a snapshot made once (the 151st joined)
        final List<Subscription> subs = join(150);
        snapshotOf(join(1).get(0));
        // When the 10th client leaves and another one joins
        hub.remove(List.of(subs.get(9)));
        final JsonNode snapshot = JSON.readTree(snapshotOf(join(1).get(0)));
        // Then the list no longer has the 10th and has the 101st instead; the count is 151 again
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i <= Hub.PRESENCE_LIMIT; i++) {
            if (i != 9) {
                expected.add(subs.get(i).outlet().presence().clientId());
            }
        }
        assertThat(snapshot.get("count").asInt()).isEqualTo(151);
        assertThat(ids(snapshot)).containsExactlyElementsOf(expected);
    }

    @Test
    void inASmallRoomEveryNewcomerIsInItsOwnSnapshot() throws Exception {
        // Given 3 clients
        join(3);
        // When a 4th joins
        final Subscription fourth = join(1).get(0);
        final JsonNode snapshot = JSON.readTree(snapshotOf(fourth));
        // Then it sees all four, itself last
        assertThat(snapshot.get("count").asInt()).isEqualTo(4);
        assertThat(ids(snapshot)).hasSize(4).last().isEqualTo(fourth.outlet().presence().clientId());
    }

    private final Map<Subscription, String> snapshots = new HashMap<>();
    private int next;

    private List<Subscription> join(final int n) {
        final List<Subscription> joined = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final Subscription s = new Subscription(new CountingOutlet("c" + next++), "s", List.of(room));
            hub.register(s, true, position -> snapshots.put(s, hub.presenceSnapshot(room)));
            joined.add(s);
        }
        return joined;
    }

    private String snapshotOf(final Subscription s) {
        return snapshots.get(s);
    }

    private static List<String> ids(final JsonNode snapshot) {
        final List<String> ids = new ArrayList<>();
        snapshot.get("clients").forEach(c -> ids.add(c.get("clientId").asText()));
        return ids;
    }
}
