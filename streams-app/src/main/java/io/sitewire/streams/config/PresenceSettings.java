package io.sitewire.streams.config;

/**
 * Presence limits of one project.
 *
 * @param missingAfterMs a checked-in worker silent for this long (wall clock) is MISSING
 */
public record PresenceSettings(long missingAfterMs) {

    public static final PresenceSettings DEFAULTS = new PresenceSettings(RuleDefaults.PRESENCE_MISSING_AFTER_MS);
}
