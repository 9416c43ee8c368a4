package io.sitewire.streams.site;

import io.sitewire.events.Priority;

/**
 * An open proximity episode of one (worker, machine) pair (internal state, JSON).
 *
 * @param start     source time of the record that raised it: the suffix of its alert ids
 * @param priority  priority of the first RAISED alert
 * @param escalated whether a second, EMERGENCY RAISED alert was added within the episode
 */
public record Episode(String projectId, String workerId, String equipmentId, long start, Priority priority,
        boolean escalated) {

    Episode escalate() {
        return new Episode(projectId, workerId, equipmentId, start, priority, true);
    }
}
