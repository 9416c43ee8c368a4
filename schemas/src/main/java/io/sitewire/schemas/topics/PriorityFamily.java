package io.sitewire.schemas.topics;

import io.sitewire.events.Priority;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A family whose records carry mixed priorities: one topic per priority, so that consumers can always
 * read EMERGENCY first and an emergency never waits behind bulk traffic in a partition.
 */
public record PriorityFamily<V extends SpecificRecord>(String family, Map<Priority, TopicSpec<V>> byPriority) {

    public PriorityFamily {
        if (byPriority.size() != Priority.values().length) {
            throw new IllegalArgumentException(family + ": needs one topic for each priority, has " + byPriority.keySet());
        }
        byPriority = Map.copyOf(new EnumMap<>(byPriority));
    }

    public TopicSpec<V> topic(final Priority priority) {
        return byPriority.get(priority);
    }

    /** The topics from EMERGENCY down to LOW: the order in which consumers should drain them. */
    public List<TopicSpec<V>> topicsByUrgency() {
        return java.util.Arrays.stream(Priority.values()).map(byPriority::get).toList();
    }

    /** The priority a topic of this family carries, if the name is one of them. */
    public java.util.Optional<Priority> priorityOf(final String topicName) {
        return byPriority.values().stream().filter(t -> t.name().equals(topicName)).findFirst().flatMap(TopicSpec::priority);
    }
}
