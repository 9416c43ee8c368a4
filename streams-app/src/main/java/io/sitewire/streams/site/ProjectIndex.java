package io.sitewire.streams.site;

import io.sitewire.streams.proximity.GridIndex;
import java.util.HashMap;
import java.util.Map;

/**
 * In-memory indexes of one project in one task, derived from the stores (rebuilt from them when the task starts, so
 * they need no changelog): operational machines by the cells their clearing radius covers, workers by the cell they
 * stand in, and checked-in workers per zone.
 */
final class ProjectIndex {

    final GridIndex machines;
    final GridIndex workers;
    final Map<String, Integer> headcount = new HashMap<>();
    int total;

    ProjectIndex(final double cellM) {
        this.machines = new GridIndex(cellM);
        this.workers = new GridIndex(cellM);
    }
}
