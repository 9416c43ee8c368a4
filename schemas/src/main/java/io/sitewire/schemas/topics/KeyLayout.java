package io.sitewire.schemas.topics;

/**
 * How a topic's String key is built. Keys decide ordering: records with the same key keep their order
 * within one topic, so a project's events stay ordered within a priority.
 */
public enum KeyLayout {
    /** {@code projectId}: every event of a project on one partition, in order. */
    PROJECT("projectId"),
    /** {@code projectId/workerId}: one compacted entry per worker. */
    PROJECT_WORKER("projectId/workerId"),
    /** {@code projectId/equipmentId}: one compacted entry per machine. */
    PROJECT_EQUIPMENT("projectId/equipmentId"),
    /** {@code projectId/zone}: one compacted entry per zone ("*" for the project total). */
    PROJECT_ZONE("projectId/zone"),
    /** {@code sourceTopic/partition/offset}: where a dead letter came from. */
    SOURCE_POSITION("sourceTopic/partition/offset");

    /** Separator between key parts; not allowed inside ids. */
    public static final String SEPARATOR = "/";

    private final String pattern;

    KeyLayout(final String pattern) {
        this.pattern = pattern;
    }

    public String pattern() {
        return pattern;
    }

    /** Joins key parts, rejecting a part that contains the separator (it would make keys ambiguous). */
    public static String join(final String... parts) {
        final StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            final String part = parts[i];
            if (part == null || part.isEmpty() || part.contains(SEPARATOR)) {
                throw new IllegalArgumentException("key part " + i + " must be non-empty and free of '" + SEPARATOR + "': " + part);
            }
            if (i > 0) {
                key.append(SEPARATOR);
            }
            key.append(part);
        }
        return key.toString();
    }
}
