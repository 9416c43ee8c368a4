package io.sitewire.bench;

/** The scenarios, in the order a full run takes them (each needs the fleet the earlier ones connected). */
enum Scenario {
    SHIFT_START("shift-start"),
    STEADY("steady"),
    FLOOD("flood"),
    EMERGENCY("emergency"),
    RECONNECT_STORM("reconnect-storm"),
    END_TO_END("end-to-end"),
    INGEST("ingest"),
    IDLE_HEAP("idle-heap");

    final String label;

    Scenario(final String label) {
        this.label = label;
    }

    static Scenario of(final String label) {
        for (final Scenario s : values()) {
            if (s.label.equalsIgnoreCase(label.strip()) || s.name().equalsIgnoreCase(label.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "'; known: shift-start, steady, flood, "
                + "emergency, reconnect-storm, end-to-end, ingest, idle-heap");
    }
}
