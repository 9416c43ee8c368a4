package io.sitewire.schemas.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.schemas.topics.TopicCatalogue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RangeQuery#fromQueryParameters}, fuzzed with mutated query strings (as {@code GET /v1/replay} receives them):
 * it returns a query or throws {@link InvalidRangeQueryException} with at least one problem, each naming the parameter
 * it is about ({@code name: ...}), or for filters that rule out every topic, the topics they rule out, so a 400 says
 * what to fix; never any other exception. A query it accepts survives
 * its own canonical form. Every try has its own seed, printed on failure; {@code -Dfuzz.seed=N} reruns one.
 */
class RangeQueryFuzzTest {

    private static final String[] VALID = {
        "topics=alerts,sensor-readings&from=2026-11-25T08:00:00Z&to=2026-11-25T12:00:00Z&project=p1&priority=EMERGENCY,URGENT",
        "offsets=sensor-readings:3:1000-1999&project=p1&type=sensor_reading",
        "topics=alerts.emergency&from=1795593600000&zone=basement&limit=10&project=p1&project=p2",
        "topic=broadcasts&from=2026-11-25&to=2026-11-26T00:00:00.250%2B01:00&types=manual_broadcast&projects=p1",
        "offset=alerts.urgent:0:5-&project=p1&zones=north,south&priorities=low",
    };
    private static final String NOISE = "=&,:-.%+ 0123456789azTZ_\u00e9\u0000";
    private static final String WHOLE_QUERY = "the filters leave no topic to read: ";
    private static final Set<String> NAMES = Set.of("topics", "topic", "from", "to", "offsets", "offset", "project",
            "projects", "priority", "priorities", "type", "types", "zone", "zones", "limit", "from/to");

    /** A query string as a server decodes it: split on & and the first =, then URL-decoded (bad escapes kept raw). */
    private static Map<String, List<String>> parse(final String query) {
        final Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (final String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return text;
        }
    }

    private static String mutate(final Random random, final String text) {
        final StringBuilder s = new StringBuilder(text);
        final int edits = 1 + random.nextInt(5);
        for (int e = 0; e < edits; e++) {
            final int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(6)));
                case 1 -> s.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 2 -> {
                    if (s.length() > 0) {
                        s.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
                    }
                }
                case 3 -> s.append('&').append(VALID[random.nextInt(VALID.length)], 0, 1 + random.nextInt(20));
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(10))));
            }
        }
        return s.toString();
    }

    private static void check(final String query) {
        final Map<String, List<String>> parameters = parse(query);
        final RangeQuery parsed;
        try {
            parsed = RangeQuery.fromQueryParameters(parameters);
        } catch (final InvalidRangeQueryException e) {
            assertProblemsNameParameters(e, query, parameters);
            return;
        }
        assertThat(RangeQuery.fromQueryParameters(parsed.toQueryParameters())).as("round trip of %s", query).isEqualTo(parsed);
        // Topic names are checked against a catalogue when the query is planned: the same rule for those problems.
        try {
            parsed.resolve(TopicCatalogue.LIVE);
        } catch (final InvalidRangeQueryException e) {
            assertProblemsNameParameters(e, query, parameters);
        }
    }

    private static void assertProblemsNameParameters(final InvalidRangeQueryException e, final String query,
            final Map<String, List<String>> parameters) {
        assertThat(e.problems()).as("problems of %s", query).isNotEmpty();
        for (final String problem : e.problems()) {
            // A problem of the filters as a whole names the topics they rule out instead of one parameter.
            if (problem.startsWith(WHOLE_QUERY)) {
                assertThat(problem).as("problem of %s", query).contains("skipped");
                continue;
            }
            final boolean named = Stream.concat(NAMES.stream(), parameters.keySet().stream())
                    .anyMatch(name -> problem.startsWith(name + ": ") && problem.length() > name.length() + 2);
            assertThat(named).as("problem '%s' of %s names its parameter", problem, query).isTrue();
        }
    }

    private static void run(final long base, final int tries, final java.util.function.Consumer<Random> body) {
        final String only = System.getProperty("fuzz.seed");
        final long first = only == null || only.isBlank() ? base : Long.parseLong(only.strip());
        final int count = only == null || only.isBlank() ? tries : 1;
        for (long seed = first; seed < first + count; seed++) {
            try {
                body.accept(new Random(seed));
            } catch (final Throwable t) {
                throw new AssertionError("fuzz try failed with seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "): "
                        + t.getMessage(), t);
            }
        }
    }

    @Test
    void theValidExamplesParse() {
        for (final String query : VALID) {
            assertThat(RangeQuery.fromQueryParameters(parse(query))).as(query).isNotNull();
        }
    }

    @Test
    void mutatedQueriesParseOrGiveProblemsNamingTheirParameter() {
        final int[] accepted = {0};
        run(60_000, 5_000, random -> {
            final String query = mutate(random, VALID[random.nextInt(VALID.length)]);
            try {
                RangeQuery.fromQueryParameters(parse(query));
                accepted[0]++;
            } catch (final InvalidRangeQueryException expected) {
                // checked below
            }
            check(query);
        });
        // Mutations must exercise both paths, or the property is hollow.
        assertThat(accepted[0]).isBetween(100, 4_900);
    }

    @Test
    void randomParameterValuesGiveProblemsNotCrashes() {
        final String[] names = NAMES.stream().filter(n -> !n.contains("/")).toArray(String[]::new);
        run(70_000, 3_000, random -> {
            final StringBuilder query = new StringBuilder();
            final int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                final StringBuilder value = new StringBuilder();
                final int length = random.nextInt(random.nextInt(10) == 0 ? 3_000 : 30);
                for (int c = 0; c < length; c++) {
                    value.append(random.nextInt(5) == 0 ? (char) random.nextInt(0x3000) : NOISE.charAt(random.nextInt(NOISE.length())));
                }
                query.append(i == 0 ? "" : "&").append(names[random.nextInt(names.length)]).append('=').append(value);
            }
            check(query.toString());
        });
    }
}
