package io.sitewire.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.events.Priority;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EMERGENCY = 0; // alerts.emergency, partition 0
    private static final int LOW = 4;       // alerts.low, partition 0
    private final Room room = Room.project("p-outbox");
    private PartitionSpace space;
    private long[] dispatched;
    private long seq;

    @BeforeEach
    void setUp() {
        final StreamedTopics topics = new StreamedTopics(TopicCatalogue.LIVE);
        final int[] counts = new int[topics.size()];
        Arrays.fill(counts, 1);
        space = new PartitionSpace(topics, counts);
        dispatched = new long[space.size()];
    }

    /** What the live tailer does: advance the dispatch position, stamp the event with it. */
    private LiveEvent dispatch(final int partition, final Priority priority) {
        final long offset = dispatched[partition];
        dispatched[partition] = offset + 1;
        seq++;
        final LiveEvent e = new LiveEvent(seq, partition, offset, priority, EventType.ALERT, 1_700_000_000_000L + seq,
                space.encode(dispatched), "{\"n\":" + seq + "}", space);
        e.prepare(room);
        return e;
    }

    private List<JsonNode> drain(final Outbox outbox) throws Exception {
        final List<JsonNode> frames = new ArrayList<>();
        Outbox.Next next;
        while ((next = outbox.poll()) != null) {
            frames.add(JSON.readTree(next.text()));
        }
        return frames;
    }

    @Test
    void urgentFramesOvertakeQueuedNormalOnesAndEachLaneKeepsItsOrder() throws Exception {
        // Given a connection whose queue holds three LOW frames
        final Outbox outbox = new Outbox(space, 100);
        outbox.initLiveClaim(dispatched.clone(), seq);
        for (int i = 0; i < 3; i++) {
            outbox.offer(new Outbox.LiveItem(dispatch(LOW, Priority.LOW), room, null));
        }
        // When two EMERGENCY frames are queued behind them
        outbox.offer(new Outbox.LiveItem(dispatch(EMERGENCY, Priority.EMERGENCY), room, null));
        outbox.offer(new Outbox.LiveItem(dispatch(EMERGENCY, Priority.EMERGENCY), room, null));
        // Then the EMERGENCY frames are sent first, then the LOW ones, each lane in order
        final List<JsonNode> frames = drain(outbox);
        assertThat(frames).extracting(f -> f.get("priority").asText() + "@" + f.get("pos").asText())
                .containsExactly("EMERGENCY@0-0-0", "EMERGENCY@0-0-1", "LOW@4-0-0", "LOW@4-0-1", "LOW@4-0-2");
    }

    @Test
    void anOvertakingFramesCursorDoesNotClaimTheFramesItOvertook() throws Exception {
        // Given two queued LOW frames and an EMERGENCY dispatched after them
        final Outbox outbox = new Outbox(space, 100);
        outbox.initLiveClaim(dispatched.clone(), seq);
        outbox.offer(new Outbox.LiveItem(dispatch(LOW, Priority.LOW), room, null));
        outbox.offer(new Outbox.LiveItem(dispatch(LOW, Priority.LOW), room, null));
        outbox.offer(new Outbox.LiveItem(dispatch(EMERGENCY, Priority.EMERGENCY), room, null));
        // When the EMERGENCY is sent first
        final List<JsonNode> frames = drain(outbox);
        // Then its cursor has the LOW partition where it was before (nothing of it was sent yet) ...
        final long[] afterEmergency = space.decode(frames.get(0).get("cursor").asText());
        assertThat(afterEmergency[EMERGENCY]).isEqualTo(1);
        assertThat(afterEmergency[LOW]).isEqualTo(0);
        // ... and the LOW frames sent after it do not take the EMERGENCY position back
        final long[] afterFirstLow = space.decode(frames.get(1).get("cursor").asText());
        assertThat(afterFirstLow[EMERGENCY]).isEqualTo(1);
        assertThat(afterFirstLow[LOW]).isEqualTo(1);
        final long[] afterSecondLow = space.decode(frames.get(2).get("cursor").asText());
        assertThat(afterSecondLow[LOW]).isEqualTo(2);
        assertThat(afterSecondLow[EMERGENCY]).isEqualTo(1);
    }

    @Test
    void inTheSteadyStateTheSharedTextIsSentUntouched() {
        // Given a connection that keeps up: one frame queued at a time
        final Outbox outbox = new Outbox(space, 100);
        outbox.initLiveClaim(dispatched.clone(), seq);
        for (int i = 0; i < 20; i++) {
            final LiveEvent e = dispatch(i % 3 == 0 ? EMERGENCY : LOW, i % 3 == 0 ? Priority.EMERGENCY : Priority.LOW);
            outbox.offer(new Outbox.LiveItem(e, room, null));
            // When it is sent
            final Outbox.Next next = outbox.poll();
            // Then it is the very String built once by the tailer, cursor and all
            assertThat(next.shared()).isTrue();
            assertThat(next.text()).isSameAs(e.text(room));
        }
    }

    @Test
    void theQueueIsBounded() {
        final Outbox outbox = new Outbox(space, 16);
        outbox.initLiveClaim(dispatched.clone(), seq);
        for (int i = 0; i < 16; i++) {
            assertThat(outbox.offer(new Outbox.LiveItem(dispatch(LOW, Priority.LOW), room, null))).isTrue();
        }
        assertThat(outbox.offer(new Outbox.LiveItem(dispatch(EMERGENCY, Priority.EMERGENCY), room, null))).isFalse();
        assertThat(outbox.size()).isEqualTo(16);
    }

    @Test
    void whileAReplayIsUnfinishedTheCursorStaysAtItsProgress() throws Exception {
        // Given a live room and a second subscription replaying LOW history from offset 0 while live is at 5
        final Outbox outbox = new Outbox(space, 100);
        for (int i = 0; i < 5; i++) {
            dispatch(LOW, Priority.LOW);
        }
        outbox.initLiveClaim(dispatched.clone(), seq);
        final Subscription replaying = new Subscription(null, "s2", List.of(Room.management("p-outbox")));
        final long[] start = space.empty();
        Arrays.fill(start, 0);
        outbox.startReplay(replaying, start);
        outbox.offer(new Outbox.ReplayItem(replaying, LOW, 0, Priority.LOW, "{\"op\":\"event\",\"cursor\":\"", "\"}"));
        // When a live frame and the replayed frame are sent
        outbox.offer(new Outbox.LiveItem(dispatch(LOW, Priority.LOW), room, null));
        final List<JsonNode> frames = drain(outbox);
        // Then no cursor claims LOW history the replay has not sent yet
        assertThat(space.decode(frames.get(0).get("cursor").asText())[LOW]).isEqualTo(1);
        assertThat(space.decode(frames.get(1).get("cursor").asText())[LOW]).isEqualTo(1);
        // And once the replay is done its handover position counts
        outbox.replayDone(replaying, dispatched.clone());
        assertThat(space.decode(outbox.cursor())[LOW]).isEqualTo(6);
    }
}
