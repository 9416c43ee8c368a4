package io.sitewire.gateway.routing;

import io.sitewire.events.Priority;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the gateway streams, and the number of each topic in cursors. The list is APPEND-ONLY: a cursor
 * names topics by their index here, so reordering it would make old cursors point at other topics.
 *
 * <pre>
 *   0-4   alerts        EMERGENCY, URGENT, HIGH, NORMAL, LOW
 *   5-9   broadcasts    EMERGENCY, URGENT, HIGH, NORMAL, LOW
 *   10    worker state          (compacted, NORMAL, also feeds the snapshot table)
 *   11    zone headcount        (compacted, NORMAL, also feeds the snapshot table)
 *   12    roll-call             (compacted, URGENT: an evacuation is under way, also feeds the snapshot table)
 *   13    worker positions      (NORMAL, the dashboard map)
 *   14    equipment status      (NORMAL, the dashboard map)
 * </pre>
 * The equipment-state topic is read only into the snapshot table (its updates reach clients through
 * the equipment-status stream it is derived from).
 */
public final class StreamedTopics {

    private final List<StreamedTopic> topics;
    private final TopicSpec<?> tableOnly;

    public StreamedTopics(final TopicCatalogue catalogue) {
        final List<StreamedTopic> list = new ArrayList<>();
        for (final TopicSpec<?> alerts : catalogue.alerts().topicsByUrgency()) {
            list.add(new StreamedTopic(list.size(), alerts, alerts.priority().orElseThrow(), false));
        }
        for (final TopicSpec<?> broadcasts : catalogue.broadcasts().topicsByUrgency()) {
            list.add(new StreamedTopic(list.size(), broadcasts, broadcasts.priority().orElseThrow(), false));
        }
        list.add(new StreamedTopic(list.size(), catalogue.workerState(), Priority.NORMAL, true));
        list.add(new StreamedTopic(list.size(), catalogue.headcount(), Priority.NORMAL, true));
        list.add(new StreamedTopic(list.size(), catalogue.rollCall(), Priority.URGENT, true));
        list.add(new StreamedTopic(list.size(), catalogue.workerPositions(), catalogue.workerPositions().priority().orElse(Priority.NORMAL), false));
        list.add(new StreamedTopic(list.size(), catalogue.equipmentStatus(), catalogue.equipmentStatus().priority().orElse(Priority.NORMAL), false));
        this.topics = List.copyOf(list);
        this.tableOnly = catalogue.equipmentState();
    }

    /** The streamed topics, by index. */
    public List<StreamedTopic> all() {
        return topics;
    }

    public StreamedTopic get(final int index) {
        return topics.get(index);
    }

    public int size() {
        return topics.size();
    }

    public Optional<StreamedTopic> byName(final String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Topics read only into the snapshot table (never streamed, not in cursors). */
    public List<TopicSpec<?>> tableOnly() {
        return List.of(tableOnly);
    }

    /** A view for docs and tests: index → topic name. */
    public List<String> names(final Function<StreamedTopic, String> describe) {
        return topics.stream().map(describe).toList();
    }
}
