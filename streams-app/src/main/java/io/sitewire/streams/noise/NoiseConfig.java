package io.sitewire.streams.noise;

import io.sitewire.events.Priority;
import io.sitewire.streams.air.support.Durations;
import io.sitewire.streams.air.support.RuleProperties;
import io.sitewire.streams.air.support.RuleProperties.Reader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Configuration of the noise-dose rules: timing (global) and the dose standard, alert levels and shift (global
 * defaults, each overridable per project with {@code project.<projectId>.noise.<key>}). See docs/rules-air-noise.md.
 *
 * @param grace         how long after a reading's event time, on its project's clock, a reading is still used
 * @param step          doses are brought up to date at every multiple of {@code step} that the watermark passes
 * @param maxSampleGap  a reading stands for the time until the next reading of the same worker or meter, at most this
 * @param maxFutureSkew readings dated further than this after the wall clock are ignored
 */
public record NoiseConfig(
        Duration grace,
        Duration step,
        Duration maxSampleGap,
        Duration maxFutureSkew,
        Limits defaultLimits,
        Map<String, Limits> projectLimits) {

    public static final String PREFIX = "noise.";
    public static final String PROJECT_PREFIX = RuleProperties.PROJECT_PREFIX;

    public static final String GRACE = "noise.grace";
    public static final String STEP = "noise.step";
    public static final String MAX_SAMPLE_GAP = "noise.max-sample-gap";
    public static final String MAX_FUTURE_SKEW = "noise.max-future-skew";
    public static final String STANDARD = "noise.standard";
    public static final String CRITERION_LEVEL = "noise.criterion-level";
    public static final String EXCHANGE_RATE = "noise.exchange-rate";
    public static final String THRESHOLD_LEVEL = "noise.threshold-level";
    public static final String CRITERION_DURATION = "noise.criterion-duration";
    public static final String SHIFT_TIME_ZONE = "noise.shift.time-zone";
    public static final String SHIFT_START = "noise.shift.start";
    public static final String SHIFT_LENGTH = "noise.shift.length";
    public static final String ZONE_ROLLUP = "noise.zone.rollup";
    public static final String ACTION = "noise.dose.action";
    public static final String PEL = "noise.dose.pel";

    static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);
    static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    /** A dosimeter logging at least once a minute; a longer silence counts as no exposure. */
    static final Duration DEFAULT_MAX_SAMPLE_GAP = Duration.ofSeconds(60);
    /** Below the grace period: a gateway clock running fast cannot push its site's clock so far that the other
     *  gateways' on-time readings become late. */
    static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(1);

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** The dose method: criterion level, exchange rate and threshold (both integrate sounds from 80 dBA up). */
    public enum Standard {
        /** 29 CFR 1910.95 / 1926.52: 90 dBA criterion, 5 dB exchange rate, 80 dBA threshold. */
        OSHA(90, 5, 80, "29 CFR 1910.95 / 1926.52: PEL 90 dBA 8-h TWA = 100 % dose, 5 dB exchange rate, 80 dBA threshold",
                "29 CFR 1910.95(c): action level 85 dBA 8-h TWA = 50 % dose"),
        /** NIOSH 98-126: 85 dBA criterion, 3 dB exchange rate, 80 dBA threshold. */
        NIOSH(85, 3, 80, "NIOSH 98-126: REL 85 dBA 8-h TWA = 100 % dose, 3 dB exchange rate, 80 dBA threshold",
                "NIOSH 98-126 dose method; 50 % dose (82 dBA 8-h TWA) as action level by analogy with 29 CFR 1910.95(c)");

        final double criterion;
        final double exchange;
        final double threshold;
        final String fullSource;
        final String actionSource;

        Standard(final double criterion, final double exchange, final double threshold, final String fullSource,
                final String actionSource) {
            this.criterion = criterion;
            this.exchange = exchange;
            this.threshold = threshold;
            this.fullSource = fullSource;
            this.actionSource = actionSource;
        }
    }

    /** An alert level of the dose: {@code id} is the rule name, {@code level} the alert-id qualifier. */
    public record DoseLevel(String id, String level, double dose, Priority priority, boolean enabled, String limitSource) {
    }

    private static final Set<String> GLOBAL_KEYS = Set.of(GRACE, STEP, MAX_SAMPLE_GAP, MAX_FUTURE_SKEW);
    private static final Set<String> LIMIT_KEYS = Set.of(STANDARD, CRITERION_LEVEL, EXCHANGE_RATE, THRESHOLD_LEVEL,
            CRITERION_DURATION, SHIFT_TIME_ZONE, SHIFT_START, SHIFT_LENGTH, ZONE_ROLLUP,
            ACTION + ".dose", ACTION + ".priority", ACTION + ".enabled",
            PEL + ".dose", PEL + ".priority", PEL + ".enabled");

    public NoiseConfig {
        RuleProperties.positive(STEP, step);
        RuleProperties.positive(MAX_SAMPLE_GAP, maxSampleGap);
        if (grace.isNegative() || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException(GRACE + " and " + MAX_FUTURE_SKEW + " must not be negative");
        }
        projectLimits = Map.copyOf(projectLimits);
    }

    /** OSHA dose, alerts at 50 % and 100 %, shifts are calendar days in UTC. */
    public static NoiseConfig defaults() {
        return fromProperties(Map.of());
    }

    /** Reads {@code noise.*} and {@code project.<projectId>.noise.*}; an unknown {@code noise.} key is an error. */
    public static NoiseConfig fromProperties(final Map<String, String> props) {
        final RuleProperties.Resolved<Limits> limits = RuleProperties.resolve(props, PREFIX, "noise", GLOBAL_KEYS,
                LIMIT_KEYS, Limits::resolve);
        return new NoiseConfig(
                RuleProperties.duration(props, GRACE, DEFAULT_GRACE),
                RuleProperties.duration(props, STEP, DEFAULT_STEP),
                RuleProperties.duration(props, MAX_SAMPLE_GAP, DEFAULT_MAX_SAMPLE_GAP),
                RuleProperties.duration(props, MAX_FUTURE_SKEW, DEFAULT_MAX_FUTURE_SKEW),
                limits.defaults(),
                limits.projects());
    }

    public Limits limitsFor(final String projectId) {
        final Limits limits = projectLimits.get(projectId);
        return limits != null ? limits : defaultLimits;
    }

    /** Every key a site may set per project (after {@code project.<projectId>.}). */
    public static Set<String> limitKeySet() {
        return LIMIT_KEYS;
    }

    /**
     * The dose method and alert levels of one project.
     *
     * @param criterionLevel    the level allowed for the whole criterion duration (100 % dose)
     * @param exchangeRate      dB by which the level may rise when the allowed time halves
     * @param thresholdLevel    readings below this level add no dose
     * @param criterionDuration the reference duration (8 h)
     * @param levels            alert levels, ascending by dose
     */
    public record Limits(Standard standard, double criterionLevel, double exchangeRate, double thresholdLevel,
            Duration criterionDuration, List<DoseLevel> levels, ZoneId shiftZone, LocalTime shiftStart,
            Duration shiftLength, boolean zoneRollup, String doseMethod) {

        public Limits {
            levels = List.copyOf(levels);
        }

        /** T(L) in ms: the time at level {@code dba} that makes a 100 % dose: 8 h / 2^((L - criterion) / exchange). */
        public double allowedMs(final double dba) {
            return criterionDuration.toMillis() / Math.pow(2, (dba - criterionLevel) / exchangeRate);
        }

        /** Dose in percent added by {@code ms} at {@code dba}: 100 · t / T(L), 0 below the threshold. */
        public double doseIncrement(final double dba, final long ms) {
            if (ms <= 0 || dba < thresholdLevel) {
                return 0;
            }
            return 100.0 * ms / allowedMs(dba);
        }

        /** The 8-h TWA level equivalent to a dose: criterion + exchange · log2(D / 100). */
        public double equivalentLevel(final double dosePercent) {
            return criterionLevel + exchangeRate * (Math.log(dosePercent / 100.0) / Math.log(2));
        }

        public boolean anyLevelEnabled() {
            for (final DoseLevel l : levels) {
                if (l.enabled()) {
                    return true;
                }
            }
            return false;
        }

        /** The shift containing {@code epochMs}: {@code [start, end)} in epoch ms. */
        public long[] shiftOf(final long epochMs) {
            final long len = shiftLength.toMillis();
            final LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), shiftZone);
            LocalDateTime anchor = local.toLocalDate().atTime(shiftStart);
            if (local.isBefore(anchor)) {
                anchor = anchor.minusDays(1);
            }
            final long sinceAnchor = Duration.between(anchor, local).toMillis();
            final LocalDateTime startLocal = anchor.plus(Duration.ofMillis(sinceAnchor / len * len));
            final long start = startLocal.atZone(shiftZone).toInstant().toEpochMilli();
            final long end = startLocal.plus(shiftLength).atZone(shiftZone).toInstant().toEpochMilli();
            if (start <= epochMs && epochMs < end) {
                return new long[] {start, end};
            }
            // Around a daylight-saving change local arithmetic can miss; fall back to fixed-length shifts.
            final long anchorMs = anchor.atZone(shiftZone).toInstant().toEpochMilli();
            final long s = anchorMs + Math.floorDiv(epochMs - anchorMs, len) * len;
            return new long[] {s, s + len};
        }

        static Limits resolve(final UnaryOperator<String> lookup, final UnaryOperator<String> where) {
            final Reader in = new Reader(lookup, where);
            final String standardText = lookup.apply(STANDARD);
            final Standard standard;
            try {
                standard = standardText == null ? Standard.OSHA : Standard.valueOf(standardText.strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(where.apply(STANDARD) + " must be OSHA or NIOSH, got '" + standardText + "'");
            }
            final double criterion = in.number(CRITERION_LEVEL, standard.criterion);
            final double exchange = in.number(EXCHANGE_RATE, standard.exchange);
            final double threshold = in.number(THRESHOLD_LEVEL, standard.threshold);
            final Duration criterionDuration = in.duration(CRITERION_DURATION, Duration.ofHours(8));
            if (!(criterion > 0 && criterion <= 194) || !(exchange > 0) || !(threshold >= 0)) {
                throw new IllegalArgumentException("noise dose method needs 0 < criterion-level <= 194, exchange-rate > 0 and"
                        + " threshold-level >= 0; got " + criterion + ", " + exchange + ", " + threshold);
            }
            if (criterionDuration.isZero() || criterionDuration.isNegative()) {
                throw new IllegalArgumentException(where.apply(CRITERION_DURATION) + " must be positive");
            }
            final boolean custom = criterion != standard.criterion || exchange != standard.exchange
                    || threshold != standard.threshold || !criterionDuration.equals(Duration.ofHours(8));
            final String method = custom
                    ? "site dose method: criterion " + criterion + " dBA for " + Durations.human(criterionDuration) + ", "
                            + exchange + " dB exchange rate, " + threshold + " dBA threshold (based on " + standard + ")"
                    : standard.fullSource;
            final List<DoseLevel> levels = new ArrayList<>(List.of(
                    level(lookup, where, ACTION, "action", 50, Priority.NORMAL, custom ? method : standard.actionSource),
                    level(lookup, where, PEL, "pel", 100, Priority.HIGH, method)));
            levels.sort((a, b) -> Double.compare(a.dose(), b.dose()));
            final String zoneText = lookup.apply(SHIFT_TIME_ZONE);
            final ZoneId zone;
            try {
                zone = zoneText == null ? ZoneId.of("UTC") : ZoneId.of(zoneText.strip());
            } catch (final DateTimeException e) {
                throw new IllegalArgumentException(where.apply(SHIFT_TIME_ZONE) + " must be a time zone such as UTC or"
                        + " America/Chicago, got '" + zoneText + "'");
            }
            final String startText = lookup.apply(SHIFT_START);
            final LocalTime start;
            try {
                start = startText == null ? LocalTime.MIDNIGHT : LocalTime.parse(startText.strip());
            } catch (final DateTimeParseException e) {
                throw new IllegalArgumentException(where.apply(SHIFT_START) + " must be a local time such as 06:00, got '" + startText + "'");
            }
            final Duration length = in.duration(SHIFT_LENGTH, Duration.ofHours(24));
            if (length.toMillis() <= 0 || DAY_MS % length.toMillis() != 0) {
                throw new IllegalArgumentException(where.apply(SHIFT_LENGTH) + " must divide 24 h (e.g. 8h, 12h, 24h), got " + length);
            }
            return new Limits(standard, criterion, exchange, threshold, criterionDuration, levels, zone, start, length,
                    in.flag(ZONE_ROLLUP, true), method);
        }

        private static DoseLevel level(final UnaryOperator<String> lookup, final UnaryOperator<String> where,
                final String id, final String level, final double defaultDose, final Priority defaultPriority,
                final String defaultSource) {
            final Reader in = new Reader(lookup, where);
            final double dose = in.number(id + ".dose", defaultDose);
            if (!(dose > 0)) {
                throw new IllegalArgumentException(where.apply(id + ".dose") + " must be > 0, got " + dose);
            }
            final String source = dose == defaultDose ? defaultSource
                    : "site setting " + where.apply(id + ".dose") + "=" + dose + " % (default " + defaultDose + " %, " + defaultSource + ")";
            final String p = lookup.apply(id + ".priority");
            final Priority priority;
            try {
                priority = p == null ? defaultPriority : Priority.valueOf(p.strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(where.apply(id + ".priority") + " must be one of "
                        + List.of(Priority.values()) + ", got '" + p + "'");
            }
            return new DoseLevel(id, level, dose, priority, in.flag(id + ".enabled", true), source);
        }
    }
}
