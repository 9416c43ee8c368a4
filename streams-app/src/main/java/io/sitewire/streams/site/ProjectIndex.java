package io.sitewire.streams.site;

import io.sitewire.streams.proximity.GridIndex;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * In-memory indexes of one project in one task, derived from the stores (rebuilt from them when the task starts, so
 * they need no changelog): operational machines by the cells their clearing radius covers, workers by the cell they
 * stand in, open proximity episodes by worker and by machine (so a position update needs no store scan), and
 * checked-in workers per zone.
 */
final class ProjectIndex {

    final GridIndex machines;
    final GridIndex workers;
    final Map<String, Integer> headcount = new HashMap<>();
    /** workerId -> machines it has an open episode with. */
    final Map<String, Set<String>> episodesByWorker = new HashMap<>();
    /** equipmentId -> workers it has an open episode with. */
    final Map<String, Set<String>> episodesByMachine = new HashMap<>();
    int total;

    void episodeOpened(final String workerId, final String equipmentId) {
        episodesByWorker.computeIfAbsent(workerId, w -> new HashSet<>()).add(equipmentId);
        episodesByMachine.computeIfAbsent(equipmentId, m -> new HashSet<>()).add(workerId);
    }

    void episodeClosed(final String workerId, final String equipmentId) {
        remove(episodesByWorker, workerId, equipmentId);
        remove(episodesByMachine, equipmentId, workerId);
    }

    Set<String> machinesWithEpisodes(final String workerId) {
        return episodesByWorker.getOrDefault(workerId, Set.of());
    }

    Set<String> workersWithEpisodes(final String equipmentId) {
        return episodesByMachine.getOrDefault(equipmentId, Set.of());
    }

    private static void remove(final Map<String, Set<String>> map, final String key, final String value) {
        final Set<String> values = map.get(key);
        if (values != null) {
            values.remove(value);
            if (values.isEmpty()) {
                map.remove(key);
            }
        }
    }

    ProjectIndex(final double cellM) {
        this.machines = new GridIndex(cellM);
        this.workers = new GridIndex(cellM);
    }
}
