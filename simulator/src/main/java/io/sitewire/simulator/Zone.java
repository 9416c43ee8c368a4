package io.sitewire.simulator;

/**
 * A named area of the site plan. Building levels share the building's footprint: which level a worker is on is
 * part of the worker's state, not of the position.
 */
public record Zone(String name, Kind kind, Rect area) {

    /** What a zone is for; it decides who goes there. */
    public enum Kind {
        GATE, MUSTER, WELFARE, LAYDOWN, BASEMENT, FLOOR, CRANE_PAD, EXCAVATION
    }

    public boolean contains(final double x, final double y) {
        return area.contains(x, y);
    }
}
