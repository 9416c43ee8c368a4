package io.sitewire.gateway.routing;

import io.sitewire.events.Priority;
import io.sitewire.schemas.topics.TopicSpec;

/**
 * A topic the gateway streams to clients.
 *
 * @param index    the topic's number in cursors: its position in {@link StreamedTopics#ALL_KINDS} (append-only)
 * @param spec     the catalogue entry
 * @param priority the delivery priority of its records
 * @param tabled   whether its records also feed the in-memory snapshot table (read from the beginning at start)
 */
public record StreamedTopic(int index, TopicSpec<?> spec, Priority priority, boolean tabled) {

    public Lane lane() {
        return Lane.of(priority);
    }

    public String name() {
        return spec.name();
    }
}
