package io.sitewire.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One scheduled incident: what, when (sim time after the start) and, optionally, in which project (default: every
 * simulated project). Written {@code kind@offset[:projectId]}, e.g. {@code crane-walk@60s} or {@code fall@5m:p2}.
 */
public record IncidentSpec(IncidentKind kind, Duration at, Optional<String> projectId) {

    /** The scenario played when none is given: one of each, a few minutes apart, the evacuation last. */
    public static final List<IncidentSpec> DEFAULT_SCENARIO = List.of(
            new IncidentSpec(IncidentKind.CRANE_WALK, Duration.ofSeconds(60), Optional.empty()),
            new IncidentSpec(IncidentKind.CO_BUILDUP, Duration.ofSeconds(120), Optional.empty()),
            new IncidentSpec(IncidentKind.FALL, Duration.ofSeconds(240), Optional.empty()),
            new IncidentSpec(IncidentKind.MISSING_WORKER, Duration.ofSeconds(300), Optional.empty()),
            new IncidentSpec(IncidentKind.EVACUATION, Duration.ofSeconds(420), Optional.empty()));

    public IncidentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(projectId, "projectId");
        if (at.isNegative()) {
            throw new IllegalArgumentException("incident offset must not be negative: " + at);
        }
    }

    public static IncidentSpec parse(final String text) {
        final String s = text.strip();
        final int atSign = s.indexOf('@');
        if (atSign <= 0) {
            throw new IllegalArgumentException("incident must be kind@offset[:project], e.g. crane-walk@60s, got '" + text
                    + "'; kinds: " + IncidentKind.names());
        }
        final String name = s.substring(0, atSign);
        final IncidentKind kind = IncidentKind.byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown incident '" + name + "'; kinds: " + IncidentKind.names()));
        final String rest = s.substring(atSign + 1);
        final int colon = rest.indexOf(':');
        final Duration at = Durations.parse(colon < 0 ? rest : rest.substring(0, colon));
        final Optional<String> project = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1).strip());
        if (project.isPresent() && project.get().isEmpty()) {
            throw new IllegalArgumentException("empty project after ':' in '" + text + "'");
        }
        return new IncidentSpec(kind, at, project);
    }

    public boolean appliesTo(final String project) {
        return projectId.map(project::equals).orElse(true);
    }

    @Override
    public String toString() {
        return kind.cliName() + "@" + Durations.format(at) + projectId.map(p -> ":" + p).orElse("");
    }
}
