package io.sitewire.streams.config;

/**
 * Proximity limits of one project.
 *
 * @param innerFraction fraction of the safety radius inside which the alert is EMERGENCY, in (0, 1]
 * @param hysteresis    an episode clears only beyond radius x (1 + hysteresis), in [0, 1]
 * @param staleAfterMs  a position older than this (event time, against stream time) neither raises nor keeps an episode
 */
public record ProximitySettings(double innerFraction, double hysteresis, long staleAfterMs) {

    public static final ProximitySettings DEFAULTS = new ProximitySettings(
            RuleDefaults.PROXIMITY_INNER_FRACTION, RuleDefaults.PROXIMITY_HYSTERESIS, RuleDefaults.PROXIMITY_STALE_AFTER_MS);
}
