package io.sitewire.simulator;

/**
 * An incident the model played: when it was planned, when it actually started (later if it had to wait, e.g. for a
 * worker to be on site) and what happened, e.g. "worker w0012 (carpenter) walks under crane-1 (radius 52.3 m)".
 */
public record FiredIncident(IncidentKind kind, String projectId, long plannedAtMs, long firedAtMs, String detail) {

    @Override
    public String toString() {
        return kind.cliName() + " in " + projectId + ": " + detail;
    }
}
