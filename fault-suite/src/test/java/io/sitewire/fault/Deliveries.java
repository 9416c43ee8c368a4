package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;

import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicSpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client received, checked against the log: a frame's {@code pos} is {@code topicIndex-partition-offset} of
 * its Kafka record (docs/protocol.md), so the frames of one room and one topic must be exactly that topic's committed
 * records, each once, in partition order. Offsets are not contiguous under exactly-once (transaction markers take
 * offsets), which is why the comparison is with the log itself and not with a count.
 */
final class Deliveries {

    private Deliveries() {
    }

    /** One delivered position. */
    record Pos(int topic, int partition, long offset) {
        static Pos of(final JsonNode event) {
            final String[] parts = event.path("pos").asText().split("-");
            return new Pos(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }
    }

    static List<Pos> positions(final List<JsonNode> events, final String room) {
        return events.stream().filter(e -> room.equals(e.path("room").asText())).map(Pos::of).toList();
    }

    /** No (room, pos) twice, and within every partition strictly increasing offsets. */
    static void assertNoDuplicateNoReorder(final List<Pos> delivered) {
        final Set<Pos> seen = new HashSet<>();
        final Map<String, Long> last = new LinkedHashMap<>();
        for (final Pos pos : delivered) {
            assertThat(seen.add(pos)).as("delivered twice: %s", pos).isTrue();
            final String partition = pos.topic() + "-" + pos.partition();
            final Long before = last.put(partition, pos.offset());
            assertThat(before == null || before < pos.offset())
                    .as("partition %s went from offset %s to %s", partition, before, pos.offset()).isTrue();
        }
    }

    /**
     * The client got, for {@code topic}, exactly the committed records in {@code log} (all of the room's: the test's
     * project is the only writer of its topics), no gap, no duplicate, in partition order.
     */
    static void assertExactlyTheLog(final List<Pos> delivered, final StreamedTopics streamed, final TopicSpec<?> topic,
                                    final List<ConsumerRecord<String, byte[]>> log) {
        final int index = streamed.byName(topic.name()).orElseThrow().index();
        final List<Pos> expected = new ArrayList<>();
        log.forEach(r -> expected.add(new Pos(index, r.partition(), r.offset())));
        final List<Pos> got = delivered.stream().filter(p -> p.topic() == index).toList();
        assertNoDuplicateNoReorder(got);
        assertThat(byPartition(got)).as("frames of %s vs its committed records", topic.name())
                .isEqualTo(byPartition(expected));
    }

    private static Map<Integer, List<Long>> byPartition(final List<Pos> positions) {
        final Map<Integer, List<Long>> map = new LinkedHashMap<>();
        positions.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .forEach(p -> map.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p.offset()));
        return map;
    }
}
