package io.sitewire.streams.air;

import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.streams.air.AirRule.Bound;
import io.sitewire.streams.air.support.RuleProperties;
import io.sitewire.streams.air.support.RuleProperties.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Configuration of the air-quality rules: timing (global) and limits (global defaults, each overridable per
 * project with {@code project.<projectId>.air.<key>}). Built-in defaults name their source; see
 * docs/rules-air-noise.md for every key.
 *
 * @param grace         how long after a reading's event time, on its project's clock, a reading is still used by
 *                      the windowed rules (later ones are dropped and counted)
 * @param step          the windowed rules are evaluated at every multiple of {@code step} (hopping windows)
 * @param maxSampleGap  a reading stands for the time until the next reading of its sensor, at most this long
 * @param maxFutureSkew readings dated further than this after the wall clock are ignored (a broken gateway clock
 *                      would otherwise make its whole site's readings late)
 */
public record AirQualityConfig(
        Duration grace,
        Duration step,
        Duration maxSampleGap,
        Duration maxFutureSkew,
        Limits defaultLimits,
        Map<String, Limits> projectLimits) {

    public static final String PREFIX = "air.";
    public static final String PROJECT_PREFIX = RuleProperties.PROJECT_PREFIX;

    public static final String GRACE = "air.grace";
    public static final String STEP = "air.step";
    public static final String MAX_SAMPLE_GAP = "air.max-sample-gap";
    public static final String MAX_FUTURE_SKEW = "air.max-future-skew";
    public static final String ZONE_ROLLUP = "air.zone.rollup";
    public static final String ZONE_AGGREGATE = "air.zone.aggregate";
    public static final String HYSTERESIS_FRACTION = "air.hysteresis.fraction";
    public static final String O2_HYSTERESIS = "air.o2.hysteresis";
    public static final String CO_TWA_BASIS = "air.co.twa.basis";
    public static final String H2S_CEILING_BASIS = "air.h2s.ceiling.basis";

    static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);
    static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    static final Duration DEFAULT_MAX_SAMPLE_GAP = Duration.ofMinutes(2);
    /** Below the grace period: a gateway clock running fast cannot push its site's clock so far that the other
     *  gateways' on-time readings become late. */
    static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(1);
    /** Clear an upper limit at 90 % of it (e.g. CO ceiling 200 ppm clears at or below 180 ppm). */
    static final double DEFAULT_HYSTERESIS_FRACTION = 0.9;
    /** Clear an O2 excursion 0.3 percentage points inside the safe band (19.8 % .. 23.2 %). */
    static final double DEFAULT_O2_HYSTERESIS = 0.3;

    private static final Duration CEILING = null;
    private static final Duration MIN_15 = Duration.ofMinutes(15);
    private static final Duration HOURS_8 = Duration.ofHours(8);
    private static final Duration HOURS_24 = Duration.ofHours(24);

    /** Which standard a selectable limit follows. */
    public enum Basis { OSHA, NIOSH }

    /** How a zone's fixed sensors are combined for the windowed zone rules. */
    public enum ZoneAggregate { MAX, MEAN }

    /** A built-in rule: everything but the numbers a site may change. */
    private record Spec(String id, Metric metric, AlertType type, Duration window, Bound bound, boolean inclusive,
            boolean band, Priority priority, String level, double limit, String source) {
    }

    private static final String CO_CEILING_SOURCE = "NIOSH Pocket Guide: CO ceiling 200 ppm";
    private static final String H2S_CEILING_OSHA = "29 CFR 1910.1000 Table Z-2: H2S acceptable ceiling 20 ppm";
    private static final String H2S_CEILING_NIOSH = "NIOSH Pocket Guide: H2S REL ceiling 10 ppm (10 min)";
    private static final String CO_TWA_OSHA = "OSHA PEL (chemical data CH_225600; 29 CFR 1926.55): CO 50 ppm 8-h TWA";
    private static final String CO_TWA_NIOSH = "NIOSH Pocket Guide: CO REL 35 ppm TWA";

    private static final List<Spec> SPECS = List.of(
            new Spec("air.o2.low", Metric.o2_pct, AlertType.GAS_CEILING, CEILING, Bound.LOWER, false, true,
                    Priority.EMERGENCY, "low", 19.5, "29 CFR 1910.146: oxygen-deficient atmosphere below 19.5 % O2"),
            new Spec("air.o2.high", Metric.o2_pct, AlertType.GAS_CEILING, CEILING, Bound.UPPER, false, true,
                    Priority.EMERGENCY, "high", 23.5, "29 CFR 1910.146: oxygen-enriched atmosphere above 23.5 % O2"),
            new Spec("air.lel.ceiling", Metric.lel_pct, AlertType.GAS_CEILING, CEILING, Bound.UPPER, true, false,
                    Priority.EMERGENCY, null, 10, "29 CFR 1910.146: flammable gas at or above 10 % of LFL"),
            new Spec("air.co.ceiling", Metric.co_ppm, AlertType.GAS_CEILING, CEILING, Bound.UPPER, false, false,
                    Priority.URGENT, null, 200, CO_CEILING_SOURCE),
            new Spec("air.h2s.ceiling", Metric.h2s_ppm, AlertType.GAS_CEILING, CEILING, Bound.UPPER, false, false,
                    Priority.URGENT, null, 20, H2S_CEILING_OSHA),
            new Spec("air.h2s.stel", Metric.h2s_ppm, AlertType.GAS_SHORT_TERM, MIN_15, Bound.UPPER, false, false,
                    Priority.HIGH, null, 5, "ACGIH TLV: H2S STEL 5 ppm (15 min)"),
            new Spec("air.co.twa", Metric.co_ppm, AlertType.GAS_TWA, HOURS_8, Bound.UPPER, false, false,
                    Priority.HIGH, null, 50, CO_TWA_OSHA),
            new Spec("air.h2s.twa", Metric.h2s_ppm, AlertType.GAS_TWA, HOURS_8, Bound.UPPER, false, false,
                    Priority.HIGH, null, 10, "29 CFR 1926.55 (construction): H2S 10 ppm 8-h TWA"),
            new Spec("air.silica.pel", Metric.silica_ugm3, AlertType.DUST_TWA, HOURS_8, Bound.UPPER, false, false,
                    Priority.HIGH, "pel", 50, "29 CFR 1926.1153: respirable crystalline silica PEL 50 µg/m³ 8-h TWA"),
            new Spec("air.silica.action", Metric.silica_ugm3, AlertType.DUST_TWA, HOURS_8, Bound.UPPER, true, false,
                    Priority.NORMAL, "action", 25, "29 CFR 1926.1153: respirable crystalline silica action level 25 µg/m³ 8-h TWA"),
            new Spec("air.pm25.epa", Metric.pm25_ugm3, AlertType.DUST_TWA, HOURS_24, Bound.UPPER, false, false,
                    Priority.NORMAL, "epa", 35, "EPA NAAQS 2024: PM2.5 35 µg/m³ 24-h (ambient guidance, not an OSHA limit)"),
            new Spec("air.pm25.who", Metric.pm25_ugm3, AlertType.DUST_TWA, HOURS_24, Bound.UPPER, false, false,
                    Priority.LOW, "who", 15, "WHO AQG 2021: PM2.5 15 µg/m³ 24-h (ambient guidance, not an OSHA limit)"),
            new Spec("air.pm10.epa", Metric.pm10_ugm3, AlertType.DUST_TWA, HOURS_24, Bound.UPPER, false, false,
                    Priority.NORMAL, "epa", 150, "EPA NAAQS 2024: PM10 150 µg/m³ 24-h (ambient guidance, not an OSHA limit)"),
            new Spec("air.pm10.who", Metric.pm10_ugm3, AlertType.DUST_TWA, HOURS_24, Bound.UPPER, false, false,
                    Priority.LOW, "who", 45, "WHO AQG 2021: PM10 45 µg/m³ 24-h (ambient guidance, not an OSHA limit)"));

    private static final Set<String> GLOBAL_KEYS = Set.of(GRACE, STEP, MAX_SAMPLE_GAP, MAX_FUTURE_SKEW);
    private static final Set<String> LIMIT_KEYS = limitKeys();

    public AirQualityConfig {
        RuleProperties.positive(STEP, step);
        RuleProperties.positive(MAX_SAMPLE_GAP, maxSampleGap);
        if (grace.isNegative() || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException(GRACE + " and " + MAX_FUTURE_SKEW + " must not be negative");
        }
        projectLimits = Map.copyOf(projectLimits);
        for (final Limits limits : concat(defaultLimits, projectLimits.values())) {
            for (final AirRule rule : limits.rules()) {
                if (rule.window() != null && rule.window().toMillis() % step.toMillis() != 0) {
                    throw new IllegalArgumentException(rule.id() + ".window (" + rule.window() + ") must be a multiple of "
                            + STEP + " (" + step + ")");
                }
            }
        }
    }

    /** The built-in defaults: every limit from its cited source. */
    public static AirQualityConfig defaults() {
        return fromProperties(Map.of());
    }

    /**
     * Reads {@code air.*} keys and {@code project.<projectId>.air.*} overrides; other keys are ignored (they belong
     * to other parts of the app). An unknown {@code air.} key is an error, so that a typo cannot silently leave a
     * default limit in place.
     */
    public static AirQualityConfig fromProperties(final Map<String, String> props) {
        final RuleProperties.Resolved<Limits> limits = RuleProperties.resolve(props, PREFIX, "air-quality", GLOBAL_KEYS,
                LIMIT_KEYS, Limits::resolve);
        return new AirQualityConfig(
                RuleProperties.duration(props, GRACE, DEFAULT_GRACE),
                RuleProperties.duration(props, STEP, DEFAULT_STEP),
                RuleProperties.duration(props, MAX_SAMPLE_GAP, DEFAULT_MAX_SAMPLE_GAP),
                RuleProperties.duration(props, MAX_FUTURE_SKEW, DEFAULT_MAX_FUTURE_SKEW),
                limits.defaults(),
                limits.projects());
    }

    /** The limits that apply to a project: its overrides on top of the global settings. */
    public Limits limitsFor(final String projectId) {
        final Limits limits = projectLimits.get(projectId);
        return limits != null ? limits : defaultLimits;
    }

    /** Every key a site may set per project (after {@code project.<projectId>.}). */
    public static Set<String> limitKeySet() {
        return LIMIT_KEYS;
    }

    /** The limits of one project (or the global defaults). */
    public record Limits(List<AirRule> rules, boolean zoneRollup, ZoneAggregate zoneAggregate) {

        public Limits {
            rules = List.copyOf(rules);
        }

        public AirRule rule(final String id) {
            for (final AirRule r : rules) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no air rule " + id);
        }

        /** Enabled instantaneous ceilings of a metric. */
        public List<AirRule> ceilings(final Metric metric) {
            final List<AirRule> out = new ArrayList<>(2);
            for (final AirRule r : rules) {
                if (r.enabled() && r.metric() == metric && r.isCeiling()) {
                    out.add(r);
                }
            }
            return out;
        }

        /** Whether the metric has a ceiling rule at all, enabled or not. */
        public boolean hasCeiling(final Metric metric) {
            for (final AirRule r : rules) {
                if (r.metric() == metric && r.isCeiling()) {
                    return true;
                }
            }
            return false;
        }

        /** Enabled windowed limits of a metric. */
        public List<AirRule> windowed(final Metric metric) {
            final List<AirRule> out = new ArrayList<>(2);
            for (final AirRule r : rules) {
                if (r.enabled() && r.metric() == metric && !r.isCeiling()) {
                    out.add(r);
                }
            }
            return out;
        }

        /** The longest window of the metric's windowed rules (0 if none). */
        public long longestWindowMs(final Metric metric) {
            long max = 0;
            for (final AirRule r : windowed(metric)) {
                max = Math.max(max, r.window().toMillis());
            }
            return max;
        }

        /**
         * @param lookup value of a limit key for this scope (null when unset)
         * @param where  the key as the user wrote it, for messages and limit sources
         */
        static Limits resolve(final UnaryOperator<String> lookup, final UnaryOperator<String> where) {
            final Reader in = new Reader(lookup, where);
            final double fraction = in.number(HYSTERESIS_FRACTION, DEFAULT_HYSTERESIS_FRACTION);
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException(where.apply(HYSTERESIS_FRACTION) + " must be in (0, 1), got " + fraction);
            }
            final double band = in.number(O2_HYSTERESIS, DEFAULT_O2_HYSTERESIS);
            if (!(band > 0)) {
                throw new IllegalArgumentException(where.apply(O2_HYSTERESIS) + " must be > 0, got " + band);
            }
            final Basis coBasis = in.choice(CO_TWA_BASIS, Basis.class, Basis.OSHA);
            final Basis h2sBasis = in.choice(H2S_CEILING_BASIS, Basis.class, Basis.OSHA);
            final List<AirRule> rules = new ArrayList<>();
            for (final Spec spec : SPECS) {
                double def = spec.limit();
                String source = spec.source();
                if (spec.id().equals("air.co.twa") && coBasis == Basis.NIOSH) {
                    def = 35;
                    source = CO_TWA_NIOSH;
                } else if (spec.id().equals("air.h2s.ceiling") && h2sBasis == Basis.NIOSH) {
                    def = 10;
                    source = H2S_CEILING_NIOSH;
                }
                final String limitKey = spec.id() + ".limit";
                final double limit = in.number(limitKey, def);
                if (in.isSet(limitKey) && limit != def) {
                    source = "site setting " + where.apply(limitKey) + "=" + Units.number(limit) + " (default "
                            + Units.amount(def, spec.metric()) + ", " + source + ")";
                }
                final double defaultClear = spec.band()
                        ? (spec.bound() == Bound.LOWER ? limit + band : limit - band)
                        : limit * fraction;
                final double clear = in.number(spec.id() + ".clear", defaultClear);
                final Duration window = spec.window() == null ? null : in.duration(spec.id() + ".window", spec.window());
                if (window != null && !(window.toMillis() > 0)) {
                    throw new IllegalArgumentException(where.apply(spec.id() + ".window") + " must be positive");
                }
                rules.add(new AirRule(spec.id(), spec.metric(), spec.type(), window, spec.bound(), spec.inclusive(),
                        limit, clear, in.choice(spec.id() + ".priority", Priority.class, spec.priority()), spec.level(),
                        source, in.flag(spec.id() + ".enabled", true)));
            }
            return new Limits(rules, in.flag(ZONE_ROLLUP, true), in.choice(ZONE_AGGREGATE, ZoneAggregate.class, ZoneAggregate.MAX));
        }
    }

    private static Set<String> limitKeys() {
        final Set<String> keys = new TreeSet<>(Set.of(ZONE_ROLLUP, ZONE_AGGREGATE, HYSTERESIS_FRACTION, O2_HYSTERESIS,
                CO_TWA_BASIS, H2S_CEILING_BASIS));
        for (final Spec spec : SPECS) {
            keys.add(spec.id() + ".limit");
            keys.add(spec.id() + ".clear");
            keys.add(spec.id() + ".priority");
            keys.add(spec.id() + ".enabled");
            if (spec.window() != null) {
                keys.add(spec.id() + ".window");
            }
        }
        return Set.copyOf(keys);
    }

    private static List<Limits> concat(final Limits first, final java.util.Collection<Limits> rest) {
        final List<Limits> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
