package io.sitewire.streams.site;

import io.sitewire.events.TargetScope;
import java.util.List;

/**
 * The active evacuation of a project (internal state, JSON). Lists are kept sorted, so output is deterministic.
 *
 * @param evacuationId   broadcastId of the EVACUATION broadcast that started it
 * @param startedAt      its event time
 * @param alertIds       ids of the EVACUATION alerts raised for it (one per EVACUATION broadcast while active)
 * @param accounted      reached a muster zone (or checked out) since the start
 * @param missing        expected and not yet accounted for
 * @param rollCallRaised whether the "all accounted" ROLL_CALL alert was raised
 */
public record Evacuation(String projectId, String evacuationId, long startedAt, List<String> musterZones,
        TargetScope scope, String target, List<String> alertIds, List<String> accounted, List<String> missing,
        boolean rollCallRaised) {
}
