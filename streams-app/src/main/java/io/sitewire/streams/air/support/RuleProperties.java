package io.sitewire.streams.air.support;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Key handling shared by the air-quality and noise settings: {@code <family>.*} keys apply to all projects,
 * {@code project.<projectId>.<family>.*} override a limit key for one project (lookup order: project key, global key,
 * built-in default), and typed reads whose messages name the key as the site wrote it.
 */
public final class RuleProperties {

    public static final String PROJECT_PREFIX = "project.";

    private RuleProperties() {
    }

    /** The family's limits: the global ones and each project's (only projects with overrides are listed). */
    public record Resolved<L>(L defaults, Map<String, L> projects) {
    }

    /**
     * Reads the family's keys from {@code props} (other keys belong to other parts of the app and are ignored). An
     * unknown family key, or a global-only key set per project, is an error, so that a typo cannot silently leave a
     * default limit in place.
     *
     * @param prefix   the family's key prefix, e.g. {@code "air."}
     * @param what     the family in messages, e.g. "air-quality"
     * @param resolve  builds the limits from a lookup and a "where was this key written" function
     */
    public static <L> Resolved<L> resolve(final Map<String, String> props, final String prefix, final String what,
            final Set<String> globalKeys, final Set<String> limitKeys,
            final BiFunction<UnaryOperator<String>, UnaryOperator<String>, L> resolve) {
        final Map<String, Map<String, String>> perProject = new TreeMap<>();
        final Set<String> unknown = new TreeSet<>();
        for (final Map.Entry<String, String> e : props.entrySet()) {
            final String key = e.getKey();
            if (key.startsWith(prefix)) {
                if (!globalKeys.contains(key) && !limitKeys.contains(key)) {
                    unknown.add(key);
                }
            } else if (key.startsWith(PROJECT_PREFIX)) {
                final int at = key.indexOf("." + prefix, PROJECT_PREFIX.length());
                if (at > PROJECT_PREFIX.length()) {
                    final String projectId = key.substring(PROJECT_PREFIX.length(), at);
                    final String limitKey = key.substring(at + 1);
                    if (globalKeys.contains(limitKey)) {
                        throw new IllegalArgumentException(key + ": " + limitKey
                                + " applies to all projects and cannot be set per project");
                    }
                    if (!limitKeys.contains(limitKey)) {
                        unknown.add(key);
                    }
                    perProject.computeIfAbsent(projectId, p -> new TreeMap<>()).put(limitKey, e.getValue());
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown " + what + " setting(s) " + unknown + "; known keys: "
                    + new TreeSet<>(globalKeys) + " and, also per project as project.<projectId>.<key>, "
                    + new TreeSet<>(limitKeys));
        }
        final L defaults = resolve.apply(props::get, UnaryOperator.identity());
        final Map<String, L> projects = new TreeMap<>();
        perProject.forEach((projectId, overrides) -> projects.put(projectId, resolve.apply(
                key -> overrides.containsKey(key) ? overrides.get(key) : props.get(key),
                key -> overrides.containsKey(key) ? PROJECT_PREFIX + projectId + "." + key : key)));
        return new Resolved<>(defaults, projects);
    }

    /** A global-only duration. */
    public static Duration duration(final Map<String, String> props, final String key, final Duration def) {
        final String v = props.get(key);
        return v == null ? def : Durations.parse(key, v);
    }

    public static void positive(final String key, final Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
        }
    }

    /** Typed reads with messages that name the key as written ({@code where}). */
    public record Reader(UnaryOperator<String> lookup, UnaryOperator<String> where) {

        public boolean isSet(final String key) {
            return lookup.apply(key) != null;
        }

        public double number(final String key, final double def) {
            final String v = lookup.apply(key);
            if (v == null) {
                return def;
            }
            try {
                final double d = Double.parseDouble(v.strip());
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(where.apply(key) + " must be a number, got '" + v + "'");
            }
        }

        public boolean flag(final String key, final boolean def) {
            final String v = lookup.apply(key);
            if (v == null) {
                return def;
            }
            final String s = v.strip().toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException(where.apply(key) + " must be true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(s);
        }

        public <E extends Enum<E>> E choice(final String key, final Class<E> type, final E def) {
            final String v = lookup.apply(key);
            if (v == null) {
                return def;
            }
            try {
                return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(where.apply(key) + " must be one of " + List.of(type.getEnumConstants())
                        + ", got '" + v + "'");
            }
        }

        public Duration duration(final String key, final Duration def) {
            final String v = lookup.apply(key);
            return v == null ? def : Durations.parse(where.apply(key), v);
        }
    }
}
