package io.sitewire.streams.config;

import io.sitewire.streams.air.AirQualityConfig;
import io.sitewire.streams.noise.NoiseConfig;
import java.util.Map;

/**
 * Settings of the rules in this module, with per-project overrides, plus the raw {@code air.*}, {@code noise.*} and
 * {@code project.*} properties that the air-quality and noise rules parse themselves.
 *
 * @param proximity               defaults for every project
 * @param presence                defaults for every project
 * @param proximityByProject      projects whose proximity limits differ (every field resolved)
 * @param presenceByProject       projects whose presence limits differ
 * @param gridCellM               spatial grid cell size in metres (one for all projects)
 * @param staleCheckIntervalMs    stream-time interval of the stale-position check
 * @param missingCheckIntervalMs  wall-clock interval of the missing-worker check
 * @param ruleProperties          {@code air.*}, {@code noise.*} and {@code project.<id>.air|noise.*} as given
 * @param air                     the air-quality rules' settings parsed from them
 * @param noise                   the noise rules' settings parsed from them
 */
public record RuleSettings(
        ProximitySettings proximity,
        PresenceSettings presence,
        Map<String, ProximitySettings> proximityByProject,
        Map<String, PresenceSettings> presenceByProject,
        double gridCellM,
        long staleCheckIntervalMs,
        long missingCheckIntervalMs,
        Map<String, String> ruleProperties,
        AirQualityConfig air,
        NoiseConfig noise) {

    public static final RuleSettings DEFAULTS = new RuleSettings(ProximitySettings.DEFAULTS, PresenceSettings.DEFAULTS,
            Map.of(), Map.of(), RuleDefaults.PROXIMITY_GRID_CELL_M, RuleDefaults.PROXIMITY_STALE_CHECK_INTERVAL_MS,
            RuleDefaults.PRESENCE_MISSING_CHECK_INTERVAL_MS, Map.of(), AirQualityConfig.defaults(), NoiseConfig.defaults());

    public RuleSettings {
        proximityByProject = Map.copyOf(proximityByProject);
        presenceByProject = Map.copyOf(presenceByProject);
        ruleProperties = Map.copyOf(ruleProperties);
    }

    public ProximitySettings proximity(final String projectId) {
        return proximityByProject.getOrDefault(projectId, proximity);
    }

    public PresenceSettings presence(final String projectId) {
        return presenceByProject.getOrDefault(projectId, presence);
    }
}
