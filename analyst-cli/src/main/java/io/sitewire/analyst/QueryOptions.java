package io.sitewire.analyst;

import io.sitewire.schemas.replay.InvalidRangeQueryException;
import io.sitewire.schemas.replay.RangeQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The range and its filters: the same names, forms and checks as the HTTP endpoint's query parameters, because the
 * options are turned into those parameters and parsed by {@link RangeQuery#fromQueryParameters}.
 */
public final class QueryOptions {

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC",
            description = "Families (alerts, sensor-readings, worker-positions, ...), family.priority (alerts.emergency) "
                    + "or full topic names. Comma-separated, repeatable.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the time range, inclusive: 2026-11-25T08:00:00Z, 2026-11-25T09:00:00+01:00, "
                    + "2026-11-25 (midnight UTC) or epoch ms. Default: the start of each log.")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the time range, exclusive (same forms). Default: the end of each partition when the read starts.")
    String to;

    @Option(names = "--offsets", split = ",", paramLabel = "TOPIC:PARTITION:FROM-TO",
            description = "Offset ranges instead of --topics/--from/--to; FROM and TO inclusive, TO left out = to the end "
                    + "(sensor-readings:3:1000-1999, alerts.emergency:0:500-). One per partition. Comma-separated, repeatable.")
    List<String> offsets = new ArrayList<>();

    @Option(names = {"--project", "--projects"}, split = ",", paramLabel = "ID", description = "Only these projects.")
    List<String> projects = new ArrayList<>();

    @Option(names = {"--priority", "--priorities"}, split = ",", paramLabel = "PRIORITY",
            description = "Only these priorities: EMERGENCY, URGENT, HIGH, NORMAL, LOW (an alert's or broadcast's own, "
                    + "else its topic's).")
    List<String> priorities = new ArrayList<>();

    @Option(names = {"--type", "--types"}, split = ",", paramLabel = "TYPE",
            description = "Only these event types: alert, sensor_reading, worker_position, worker_presence, "
                    + "equipment_status, wearable_alarm, manual_broadcast, worker_state, zone_headcount, roll_call, dead_letter.")
    List<String> types = new ArrayList<>();

    @Option(names = {"--zone", "--zones"}, split = ",", paramLabel = "ZONE", description = "Only these zones.")
    List<String> zones = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N matching records.")
    String limit;

    /**
     * The query.
     *
     * @throws InvalidRangeQueryException with every problem, named by option ({@code --from: ...})
     */
    RangeQuery toQuery() {
        final Map<String, List<String>> parameters = new LinkedHashMap<>();
        put(parameters, RangeQuery.TOPICS, topics);
        put(parameters, RangeQuery.FROM, from == null ? List.of() : List.of(from));
        put(parameters, RangeQuery.TO, to == null ? List.of() : List.of(to));
        put(parameters, RangeQuery.OFFSETS, offsets);
        put(parameters, RangeQuery.PROJECT, projects);
        put(parameters, RangeQuery.PRIORITY, priorities);
        put(parameters, RangeQuery.TYPE, types);
        put(parameters, RangeQuery.ZONE, zones);
        put(parameters, RangeQuery.LIMIT, limit == null ? List.of() : List.of(limit));
        try {
            return RangeQuery.fromQueryParameters(parameters);
        } catch (final InvalidRangeQueryException e) {
            throw asOptions(e);
        }
    }

    /** The same problems with {@code --name:} for {@code name:}, as the user typed options, not parameters. */
    static InvalidRangeQueryException asOptions(final InvalidRangeQueryException e) {
        final List<String> problems = new ArrayList<>();
        for (final String problem : e.problems()) {
            problems.add(problem.matches("^(topics|from|to|offsets|project|priority|type|zone|limit)(/to)?: .*")
                    ? "--" + problem.replaceFirst("^from/to:", "from/--to:") : problem);
        }
        return new InvalidRangeQueryException(problems);
    }

    private static void put(final Map<String, List<String>> parameters, final String name, final List<String> values) {
        if (!values.isEmpty()) {
            parameters.put(name, values);
        }
    }
}
