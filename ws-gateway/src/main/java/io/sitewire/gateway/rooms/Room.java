package io.sitewire.gateway.rooms;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A room a client can subscribe to. Every room belongs to exactly one project; the six kinds and their
 * wire names are:
 * <pre>
 *   project:{p}                      everything of a project that is not personal
 *   trade:{t}:project:{p}            one trade's crews
 *   equipment:{e}:project:{p}        one machine
 *   safety-zone:{z}:project:{p}      one zone
 *   management:project:{p}           headcounts, roll-calls, all alerts: managers
 *   worker:{w}:project:{p}           one worker's own alerts
 * </pre>
 * Ids are 1-128 characters of letters, digits, '.', '_' and '-' (no ':' so names parse unambiguously).
 */
public record Room(Kind kind, String projectId, String subject) {

    /** The kinds of room, with the wire prefix of the subject part (none for project and management). */
    public enum Kind {
        PROJECT(null), TRADE("trade"), EQUIPMENT("equipment"), SAFETY_ZONE("safety-zone"), MANAGEMENT("management"), WORKER("worker");

        private final String prefix;

        Kind(final String prefix) {
            this.prefix = prefix;
        }
    }

    private static final String ID = "[A-Za-z0-9._-]{1,128}";
    private static final Pattern PROJECT = Pattern.compile("project:(" + ID + ")");
    private static final Pattern MANAGEMENT = Pattern.compile("management:project:(" + ID + ")");
    private static final Pattern SUBJECT = Pattern.compile("(trade|equipment|safety-zone|worker):(" + ID + "):project:(" + ID + ")");
    private static final Pattern ID_PATTERN = Pattern.compile(ID);

    public Room {
        Objects.requireNonNull(kind, "kind");
        requireId(projectId, "projectId");
        if (kind == Kind.PROJECT || kind == Kind.MANAGEMENT) {
            if (subject != null) {
                throw new IllegalArgumentException(kind + " rooms have no subject");
            }
        } else {
            requireId(subject, kind.name().toLowerCase(java.util.Locale.ROOT) + " id");
        }
    }

    public static Room project(final String projectId) {
        return new Room(Kind.PROJECT, projectId, null);
    }

    public static Room management(final String projectId) {
        return new Room(Kind.MANAGEMENT, projectId, null);
    }

    public static Room trade(final String projectId, final String trade) {
        return new Room(Kind.TRADE, projectId, trade);
    }

    public static Room equipment(final String projectId, final String equipmentId) {
        return new Room(Kind.EQUIPMENT, projectId, equipmentId);
    }

    public static Room safetyZone(final String projectId, final String zone) {
        return new Room(Kind.SAFETY_ZONE, projectId, zone);
    }

    public static Room worker(final String projectId, final String workerId) {
        return new Room(Kind.WORKER, projectId, workerId);
    }

    /** Parses a wire name; empty if it is not a well-formed room name. */
    public static Optional<Room> parse(final String name) {
        if (name == null || name.length() > 300) {
            return Optional.empty();
        }
        Matcher m = PROJECT.matcher(name);
        if (m.matches()) {
            return Optional.of(project(m.group(1)));
        }
        m = MANAGEMENT.matcher(name);
        if (m.matches()) {
            return Optional.of(management(m.group(1)));
        }
        m = SUBJECT.matcher(name);
        if (m.matches()) {
            final Kind kind = switch (m.group(1)) {
                case "trade" -> Kind.TRADE;
                case "equipment" -> Kind.EQUIPMENT;
                case "safety-zone" -> Kind.SAFETY_ZONE;
                default -> Kind.WORKER;
            };
            return Optional.of(new Room(kind, m.group(3), m.group(2)));
        }
        return Optional.empty();
    }

    /** Whether a value can be used as an id in a room name (record fields that cannot are not routed to subject rooms). */
    public static boolean isValidId(final String id) {
        return id != null && ID_PATTERN.matcher(id).matches();
    }

    /** The wire name, e.g. {@code safety-zone:basement:project:p1}. */
    public String name() {
        return switch (kind) {
            case PROJECT -> "project:" + projectId;
            case MANAGEMENT -> "management:project:" + projectId;
            default -> kind.prefix + ":" + subject + ":project:" + projectId;
        };
    }

    // Written out rather than the record's generated ones: a live record is matched against every member's rooms, and
    // the generated methods (method-handle based) showed up in the fan-out profile.
    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Room r && kind == r.kind && projectId.equals(r.projectId) && Objects.equals(subject, r.subject);
    }

    @Override
    public int hashCode() {
        return (kind.ordinal() * 31 + projectId.hashCode()) * 31 + (subject == null ? 0 : subject.hashCode());
    }

    @Override
    public String toString() {
        return name();
    }

    private static void requireId(final String id, final String what) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException(what + " must be 1-128 of [A-Za-z0-9._-], got: " + id);
        }
    }
}
