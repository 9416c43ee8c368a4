package io.sitewire.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The scripted incidents the simulator can play, by their command-line names. */
public enum IncidentKind {
    /** A worker walks into a tower crane's swing radius while the crane operates and slews. */
    CRANE_WALK("crane-walk"),
    /** Carbon monoxide builds up in the basement (fixed gas monitors and personal monitors there) past 200 ppm. */
    CO_BUILDUP("co-buildup"),
    /** A worker falls: the hard-hat tag raises a FALL alarm; the worker lies still, then is carried off site. */
    FALL("fall"),
    /** A checked-in worker stops sending anything (no position, no reading) and never checks out. */
    MISSING_WORKER("missing-worker"),
    /** An EVACUATION broadcast: everyone walks to the muster zones, machines stop; ALL_CLEAR after the roll-call. */
    EVACUATION("evacuation");

    private final String cliName;

    IncidentKind(final String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<IncidentKind> byName(final String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(IncidentKind::cliName).collect(Collectors.joining(", "));
    }
}
