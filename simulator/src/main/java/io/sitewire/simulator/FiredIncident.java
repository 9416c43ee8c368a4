package io.sitewire.simulator;

/**
 * An incident the model played: when it was planned, when it actually started (later if it had to wait, e.g. for a
 * worker to be on site), who and what it involves, and what happened.
 *
 * @param workerId    the worker it happened to (crane-walk, fall, missing-worker), else null
 * @param equipmentId the machine involved (crane-walk), else null
 * @param detail      e.g. "worker w0012 (carpenter) walks under crane-1 (radius 52.3 m) while it slews"
 */
public record FiredIncident(IncidentKind kind, String projectId, long plannedAtMs, long firedAtMs, String workerId,
        String equipmentId, String detail) {

    @Override
    public String toString() {
        return kind.cliName() + " in " + projectId + ": " + detail;
    }
}
