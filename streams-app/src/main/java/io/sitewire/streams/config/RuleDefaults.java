package io.sitewire.streams.config;

/**
 * Default limits of the rules this app owns, each with where it comes from. A site overrides any of them per project
 * ({@code project.<projectId>.proximity.*}, {@code project.<projectId>.presence.*}); docs/rules.md repeats this table.
 */
public final class RuleDefaults {

    /**
     * Fraction of a machine's safety radius inside which a worker is in immediate danger (EMERGENCY even when the
     * machine reports no motion). Source: Sitewire engineering default. 29 CFR 1926.1424 requires the swing radius to be
     * barricaded and the operator not to rotate while a worker is inside; it sets no inner distance, so this is a
     * site choice.
     */
    public static final double PROXIMITY_INNER_FRACTION = 0.5;

    /**
     * An episode clears only beyond radius x (1 + hysteresis). Source: Sitewire engineering default, sized to position
     * noise: GNSS/UWB tags jitter 1-5 m, about 10 % of a typical 20-50 m crane radius, so a worker standing on the
     * boundary does not make alerts flap.
     */
    public static final double PROXIMITY_HYSTERESIS = 0.10;

    /**
     * A worker position older than this (in event time) no longer keeps or raises a proximity episode. Source: Sitewire
     * engineering default: tags report every 1-10 s, so 60 s is several missed fixes in a row.
     */
    public static final long PROXIMITY_STALE_AFTER_MS = 60_000;

    /**
     * Cell size of the spatial grid that finds machine/worker candidates. Source: Sitewire engineering default, the
     * order of a tower crane's radius (a 50 m machine covers about 3 x 3 cells), so a lookup touches few cells.
     */
    public static final double PROXIMITY_GRID_CELL_M = 50.0;

    /** How often (stream time) open proximity episodes are checked for stale positions. Engineering default. */
    public static final long PROXIMITY_STALE_CHECK_INTERVAL_MS = 1_000;

    /**
     * A checked-in worker who sends nothing (position, presence, wearable reading or alarm) for this long is MISSING.
     * Source: Sitewire engineering default; OSHA sets no interval for lone-worker checks, sites set their own (29 CFR
     * 1926.35 requires an emergency action plan that can account for every employee; this rule is its early warning).
     */
    public static final long PRESENCE_MISSING_AFTER_MS = 600_000;

    /** How often (wall clock) checked-in workers are checked for silence. Engineering default. */
    public static final long PRESENCE_MISSING_CHECK_INTERVAL_MS = 10_000;

    /** Source for the proximity rule's limits as stated on its alerts. */
    public static final String PROXIMITY_SOURCE = "29 CFR 1926.1424 (swing radius is site-defined per machine)";
    /** Source of the roll-call duty stated on roll-call and evacuation alerts. */
    public static final String EVACUATION_SOURCE = "29 CFR 1926.35(b)(3) (account for all employees after evacuation)";
    /** Source stated on missing-worker alerts. */
    public static final String MISSING_SOURCE = "site policy (Sitewire default 10 min); 29 CFR 1926.35 emergency action plan";
    /** Source stated on wearable alarms. */
    public static final String WEARABLE_SOURCE = "device alarm is authoritative, never suppressed (Fang & Dzeng 2017)";

    private RuleDefaults() {
    }
}
