package io.sitewire.schemas.replay;

import io.sitewire.events.Priority;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * What to replay: which topics, which stretch of them, and which records of it.
 *
 * <p><b>Topics</b> are named as an analyst thinks of them and resolved against a {@link TopicCatalogue} by
 * {@link #resolve}: a family ({@code alerts} = its five priority topics, {@code sensor-readings}), a family and a
 * priority ({@code alerts.emergency}), or a full topic name of that catalogue ({@code sitewire.alerts.emergency}).
 *
 * <p><b>Stretch</b>: either a time range over the record timestamps, {@code from} inclusive and {@code to} exclusive
 * (either may be left out: from the start of the log, up to the end offsets when the read starts), or offset ranges
 * ({@link OffsetRange}, one per partition, which name their own topics). Not both.
 *
 * <p><b>Filters</b>, all optional, combined with AND (values within one filter with OR): projects, priorities (see
 * {@link RecordFacets#priorityOf}), event types, zones ({@link RecordFacets#zoneOf}); a record without a project or
 * zone does not match a project or zone filter. {@code limit} stops the read after that many matching records.
 *
 * <p>The HTTP form is {@link #fromQueryParameters}; the same names are the CLI's options.
 */
public record RangeQuery(
        List<String> topics,
        Optional<Instant> from,
        Optional<Instant> to,
        List<OffsetRange> offsets,
        Set<String> projects,
        Set<Priority> priorities,
        Set<EventType> types,
        Set<String> zones,
        OptionalLong limit) {

    /** Query parameter (and CLI option) names. */
    public static final String TOPICS = "topics";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String OFFSETS = "offsets";
    public static final String PROJECT = "project";
    public static final String PRIORITY = "priority";
    public static final String TYPE = "type";
    public static final String ZONE = "zone";
    public static final String LIMIT = "limit";

    /** Accepted spellings of each parameter (the plural/singular the other way round too). */
    private static final Map<String, String> PARAMETER_ALIASES = Map.ofEntries(
            Map.entry(TOPICS, TOPICS), Map.entry("topic", TOPICS),
            Map.entry(FROM, FROM), Map.entry(TO, TO),
            Map.entry(OFFSETS, OFFSETS), Map.entry("offset", OFFSETS),
            Map.entry(PROJECT, PROJECT), Map.entry("projects", PROJECT),
            Map.entry(PRIORITY, PRIORITY), Map.entry("priorities", PRIORITY),
            Map.entry(TYPE, TYPE), Map.entry("types", TYPE),
            Map.entry(ZONE, ZONE), Map.entry("zones", ZONE),
            Map.entry(LIMIT, LIMIT));
    private static final List<String> PARAMETERS = List.of(TOPICS, FROM, TO, OFFSETS, PROJECT, PRIORITY, TYPE, ZONE, LIMIT);

    public RangeQuery {
        topics = List.copyOf(topics);
        offsets = List.copyOf(offsets);
        projects = Collections.unmodifiableSet(new LinkedHashSet<>(projects));
        priorities = Collections.unmodifiableSet(priorities.isEmpty() ? EnumSet.noneOf(Priority.class) : EnumSet.copyOf(priorities));
        types = Collections.unmodifiableSet(types.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(types));
        zones = Collections.unmodifiableSet(new LinkedHashSet<>(zones));
        final List<String> problems = problems(topics, from, to, offsets, projects, zones, limit);
        if (!problems.isEmpty()) {
            throw new InvalidRangeQueryException(problems);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this query reads offset ranges (else a time range, possibly unbounded). */
    public boolean byOffsets() {
        return !offsets.isEmpty();
    }

    /**
     * Whether a record read from {@code topic} with this Kafka timestamp is in the result: inside the time range
     * (when the query has one) and matching every filter.
     */
    public boolean matches(final TopicSpec<?> topic, final long timestamp, final SpecificRecord record) {
        if (from.isPresent() && timestamp < from.get().toEpochMilli()) {
            return false;
        }
        if (to.isPresent() && timestamp >= to.get().toEpochMilli()) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(EventType.of(record))) {
            return false;
        }
        if (!projects.isEmpty() && !RecordFacets.projectOf(record).map(projects::contains).orElse(false)) {
            return false;
        }
        if (!priorities.isEmpty() && !RecordFacets.priorityOf(topic, record).map(priorities::contains).orElse(false)) {
            return false;
        }
        return zones.isEmpty() || RecordFacets.zoneOf(record).map(zones::contains).orElse(false);
    }

    /**
     * The catalogue topics this query reads. Topics that cannot hold a matching record are left out, with a note:
     * those whose value type is not among {@link #types()} and those whose fixed priority is not among
     * {@link #priorities()} (records are routed to the topic of their priority, so {@code alerts} with
     * {@code priority=EMERGENCY} reads one topic, not five).
     *
     * @throws InvalidRangeQueryException for a name the catalogue does not know, a family given where one topic is
     *                                    needed (offset ranges), two ranges for one partition, or filters that leave
     *                                    no topic to read
     */
    public Resolved resolve(final TopicCatalogue catalogue) {
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<TopicSpec<?>> named = new LinkedHashSet<>();
        final List<Resolved.Offsets> ranges = new ArrayList<>();
        if (byOffsets()) {
            final Set<String> partitions = new LinkedHashSet<>();
            for (final OffsetRange range : offsets) {
                final List<TopicSpec<?>> specs = lookUp(catalogue, range.topic(), problems, OFFSETS);
                if (specs.size() > 1) {
                    problems.add(OFFSETS + ": '" + range.topic() + "' is " + specs.size() + " topics ("
                            + names(specs) + "); an offset range needs one, e.g. " + specs.get(0).name());
                } else if (specs.size() == 1) {
                    final TopicSpec<?> spec = specs.get(0);
                    if (!partitions.add(spec.name() + ":" + range.partition())) {
                        problems.add(OFFSETS + ": two ranges for " + spec.name() + " partition " + range.partition()
                                + "; give one range per partition");
                    }
                    named.add(spec);
                    ranges.add(new Resolved.Offsets(spec, range));
                }
            }
        } else {
            for (final String topic : topics) {
                named.addAll(lookUp(catalogue, topic, problems, TOPICS));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRangeQueryException(problems);
        }
        final List<TopicSpec<?>> kept = new ArrayList<>();
        for (final TopicSpec<?> spec : catalogue.all()) { // catalogue order: EMERGENCY topics first
            if (!named.contains(spec)) {
                continue;
            }
            if (!types.isEmpty() && !types.contains(EventType.of(spec.valueType()))) {
                notes.add("skipped " + spec.name() + ": it holds " + EventType.of(spec.valueType()).jsonName()
                        + " records, not " + jsonNames(types));
            } else if (!priorities.isEmpty() && spec.priority().isPresent() && !priorities.contains(spec.priority().get())) {
                notes.add("skipped " + spec.name() + ": it holds " + spec.priority().get() + " records only, not " + priorities);
            } else if (!priorities.isEmpty() && spec.priority().isEmpty()) {
                notes.add("skipped " + spec.name() + ": its records have no priority, and priority " + priorities + " was asked for");
            } else {
                kept.add(spec);
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidRangeQueryException(List.of("the filters leave no topic to read: " + String.join("; ", notes)));
        }
        final List<Resolved.Offsets> keptRanges = ranges.stream().filter(r -> kept.contains(r.topic())).toList();
        return new Resolved(List.copyOf(kept), keptRanges, List.copyOf(notes));
    }

    /**
     * The topics of a query resolved against a catalogue.
     *
     * @param topics  the topics to read, in catalogue order (most urgent first)
     * @param offsets the offset ranges with their topics (empty for a time range)
     * @param notes   topics left out because the filters exclude everything in them
     */
    public record Resolved(List<TopicSpec<?>> topics, List<Offsets> offsets, List<String> notes) {

        /** An offset range and the one topic it names. */
        public record Offsets(TopicSpec<?> topic, OffsetRange range) {
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP form

    /**
     * Parses the query parameters of {@code GET /v1/replay} (as a servlet or Jetty {@code Fields} map gives them: each
     * name with its values). Every list parameter takes comma-separated values, repeated parameters add up:
     * <ul>
     *   <li>{@code topics} (or {@code topic}): families, family.priority or full topic names</li>
     *   <li>{@code from}, {@code to}: one each; epoch milliseconds, an ISO-8601 instant
     *       ({@code 2026-11-25T08:00:00Z}, {@code 2026-11-25T09:00:00+01:00}) or a date ({@code 2026-11-25} = its
     *       midnight UTC)</li>
     *   <li>{@code offsets} (or {@code offset}): {@code topic:partition:from-to}, {@code to} inclusive or left out</li>
     *   <li>{@code project}, {@code priority} (EMERGENCY..LOW, any case), {@code type} ({@code alert},
     *       {@code sensor_reading}, ...; {@code -} for {@code _} and any case accepted), {@code zone}</li>
     *   <li>{@code limit}: stop after this many matching records</li>
     * </ul>
     *
     * @throws InvalidRangeQueryException listing every problem: unknown parameters, a single-valued one given twice,
     *                                    unparsable values, and the checks of the constructor
     */
    public static RangeQuery fromQueryParameters(final Map<String, List<String>> parameters) {
        final List<String> problems = new ArrayList<>();
        final Map<String, List<String>> values = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> e : parameters.entrySet()) {
            final String name = PARAMETER_ALIASES.get(e.getKey());
            if (name == null) {
                problems.add(e.getKey() + ": unknown parameter (known: " + String.join(", ", PARAMETERS) + ")");
                continue;
            }
            final List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (e.getValue() != null) {
                list.addAll(e.getValue());
            }
        }
        final Builder b = builder();
        b.topics(listOf(values, TOPICS, problems));
        single(values, FROM, problems).ifPresent(v -> parseInstant(FROM, v, problems).ifPresent(b::from));
        single(values, TO, problems).ifPresent(v -> parseInstant(TO, v, problems).ifPresent(b::to));
        for (final String text : listOf(values, OFFSETS, problems)) {
            try {
                b.offset(OffsetRange.parse(text));
            } catch (final IllegalArgumentException e) {
                problems.add(OFFSETS + ": " + e.getMessage());
            }
        }
        b.projects(listOf(values, PROJECT, problems));
        for (final String text : listOf(values, PRIORITY, problems)) {
            parsePriority(text).ifPresentOrElse(b::priority, () -> problems.add(PRIORITY + ": '" + text
                    + "' is not a priority (" + Arrays.toString(Priority.values()) + ")"));
        }
        for (final String text : listOf(values, TYPE, problems)) {
            parseType(text).ifPresentOrElse(b::type, () -> problems.add(TYPE + ": '" + text + "' is not an event type ("
                    + Arrays.stream(EventType.values()).map(EventType::jsonName).collect(Collectors.joining(", ")) + ")"));
        }
        b.zones(listOf(values, ZONE, problems));
        single(values, LIMIT, problems).ifPresent(v -> {
            try {
                b.limit(Long.parseLong(v));
            } catch (final NumberFormatException e) {
                problems.add(LIMIT + ": '" + v + "' is not a whole number");
            }
        });
        problems.addAll(b.problems());
        if (!problems.isEmpty()) {
            throw new InvalidRangeQueryException(problems);
        }
        return b.build();
    }

    /** The canonical parameters of this query: {@code fromQueryParameters(q.toQueryParameters())} equals {@code q}. */
    public Map<String, List<String>> toQueryParameters() {
        final Map<String, List<String>> p = new LinkedHashMap<>();
        if (!topics.isEmpty()) {
            p.put(TOPICS, List.of(String.join(",", topics)));
        }
        from.ifPresent(f -> p.put(FROM, List.of(f.toString())));
        to.ifPresent(t -> p.put(TO, List.of(t.toString())));
        if (!offsets.isEmpty()) {
            p.put(OFFSETS, List.of(offsets.stream().map(OffsetRange::toString).collect(Collectors.joining(","))));
        }
        if (!projects.isEmpty()) {
            p.put(PROJECT, List.of(String.join(",", projects)));
        }
        if (!priorities.isEmpty()) {
            p.put(PRIORITY, List.of(priorities.stream().map(Enum::name).collect(Collectors.joining(","))));
        }
        if (!types.isEmpty()) {
            p.put(TYPE, List.of(types.stream().map(EventType::jsonName).collect(Collectors.joining(","))));
        }
        if (!zones.isEmpty()) {
            p.put(ZONE, List.of(String.join(",", zones)));
        }
        limit.ifPresent(l -> p.put(LIMIT, List.of(Long.toString(l))));
        return p;
    }

    /** {@code name=value&...} (unencoded), for logs, summaries and file metadata. */
    public String describe() {
        return toQueryParameters().entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /**
     * Epoch milliseconds ({@code 1795593600000}), an ISO-8601 instant with a zone ({@code 2026-11-25T08:00:00Z},
     * {@code 2026-11-25T09:00:00.5+01:00}) or a date ({@code 2026-11-25}, midnight UTC).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Instant parseInstant(final String text) {
        final List<String> problems = new ArrayList<>();
        final Optional<Instant> instant = parseInstant("time", text, problems);
        if (instant.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).substring("time: ".length()));
        }
        return instant.get();
    }

    /** A priority by name, any case ({@code emergency}, {@code EMERGENCY}). */
    public static Optional<Priority> parsePriority(final String text) {
        final String name = text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(Priority.values()).filter(p -> p.name().equals(name)).findFirst();
    }

    /** An event type by its JSON name, any case, {@code -} accepted for {@code _} ({@code sensor-reading}). */
    public static Optional<EventType> parseType(final String text) {
        return EventType.byJsonName(text.strip().toLowerCase(Locale.ROOT).replace('-', '_'));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<String> problems(final List<String> topics, final Optional<Instant> from,
            final Optional<Instant> to, final List<OffsetRange> offsets, final Set<String> projects,
            final Set<String> zones, final OptionalLong limit) {
        final List<String> problems = new ArrayList<>();
        if (topics.isEmpty() && offsets.isEmpty()) {
            problems.add(TOPICS + ": name at least one topic (e.g. topics=alerts,sensor-readings), or give offsets");
        }
        if (!topics.isEmpty() && !offsets.isEmpty()) {
            problems.add(OFFSETS + ": give either topics (with from/to) or offsets, not both: an offset range names its topic");
        }
        if (!offsets.isEmpty() && (from.isPresent() || to.isPresent())) {
            problems.add(FROM + "/" + TO + ": a time range and offset ranges cannot be combined");
        }
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            problems.add(TO + ": " + to.get() + " is not after from " + from.get() + " (from is inclusive, to exclusive)");
        }
        topics.stream().filter(t -> t == null || t.isBlank()).findFirst()
                .ifPresent(t -> problems.add(TOPICS + ": an empty topic name"));
        projects.stream().filter(p -> p == null || p.isBlank()).findFirst()
                .ifPresent(p -> problems.add(PROJECT + ": an empty project id"));
        zones.stream().filter(z -> z == null || z.isBlank()).findFirst()
                .ifPresent(z -> problems.add(ZONE + ": an empty zone"));
        if (limit.isPresent() && limit.getAsLong() < 1) {
            problems.add(LIMIT + ": must be at least 1, got " + limit.getAsLong());
        }
        return problems;
    }

    private static List<TopicSpec<?>> lookUp(final TopicCatalogue catalogue, final String name,
            final List<String> problems, final String parameter) {
        final Optional<TopicSpec<?>> exact = catalogue.byName(name);
        if (exact.isPresent()) {
            return List.of(exact.get());
        }
        final List<TopicSpec<?>> family = catalogue.all().stream().filter(t -> t.family().equals(name)).toList();
        if (!family.isEmpty()) {
            return family;
        }
        final int dot = name.lastIndexOf('.');
        if (dot > 0) {
            final String familyName = name.substring(0, dot);
            final Optional<Priority> level = parsePriority(name.substring(dot + 1));
            final List<TopicSpec<?>> familyTopics = catalogue.all().stream().filter(t -> t.family().equals(familyName)).toList();
            // Only a priority family (one topic per priority) is addressed as family.priority.
            final List<TopicSpec<?>> one = familyTopics.size() > 1 && level.isPresent()
                    ? familyTopics.stream().filter(t -> t.priority().equals(level)).toList() : List.of();
            if (!one.isEmpty()) {
                return one;
            }
        }
        final Set<String> families = new LinkedHashSet<>();
        catalogue.all().forEach(t -> families.add(t.family()));
        problems.add(parameter + ": unknown topic '" + name + "'; use a family (" + String.join(", ", families)
                + "), a family with a priority (alerts.emergency, broadcasts.high) or a full topic name with prefix '"
                + catalogue.prefix() + "' (" + catalogue.alerts().topic(Priority.EMERGENCY).name() + ")");
        return List.of();
    }

    private static String names(final Collection<TopicSpec<?>> specs) {
        return specs.stream().map(TopicSpec::name).collect(Collectors.joining(", "));
    }

    private static String jsonNames(final Set<EventType> types) {
        return types.stream().map(EventType::jsonName).collect(Collectors.joining("/"));
    }

    private static List<String> listOf(final Map<String, List<String>> values, final String name, final List<String> problems) {
        final List<String> raw = values.get(name);
        if (raw == null) {
            return List.of();
        }
        final List<String> items = new ArrayList<>();
        for (final String value : raw) {
            if (value == null) {
                continue;
            }
            for (final String item : value.split(",", -1)) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        if (items.isEmpty()) {
            problems.add(name + ": given without a value");
        }
        return items;
    }

    private static Optional<String> single(final Map<String, List<String>> values, final String name, final List<String> problems) {
        final List<String> raw = values.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.size() != 1) {
            problems.add(name + ": given " + raw.size() + " times; give it once");
            return Optional.empty();
        }
        final String value = raw.get(0) == null ? "" : raw.get(0).strip();
        if (value.isEmpty()) {
            problems.add(name + ": given without a value");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private static Optional<Instant> parseInstant(final String name, final String raw, final List<String> problems) {
        final String text = raw == null ? "" : raw.strip();
        if (text.matches("\\d{1,15}")) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (final DateTimeParseException notOffset) {
            // next form
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (final DateTimeParseException notDate) {
            // next form
        }
        try {
            LocalDateTime.parse(text);
            problems.add(name + ": '" + text + "' has no time zone; add one (" + text + "Z for UTC, or +01:00)");
        } catch (final DateTimeParseException e) {
            problems.add(name + ": '" + text + "' is not epoch milliseconds, an ISO-8601 instant "
                    + "(2026-11-25T08:00:00Z) or a date (2026-11-25)");
        }
        return Optional.empty();
    }

    /** Collects the parts of a query; {@link #build} validates them all at once. */
    public static final class Builder {
        private final List<String> topics = new ArrayList<>();
        private Instant from;
        private Instant to;
        private final List<OffsetRange> offsets = new ArrayList<>();
        private final Set<String> projects = new LinkedHashSet<>();
        private final Set<Priority> priorities = EnumSet.noneOf(Priority.class);
        private final Set<EventType> types = EnumSet.noneOf(EventType.class);
        private final Set<String> zones = new LinkedHashSet<>();
        private Long limit;

        private Builder() {
        }

        public Builder topics(final Collection<String> names) {
            topics.addAll(names);
            return this;
        }

        public Builder topics(final String... names) {
            return topics(Arrays.asList(names));
        }

        public Builder from(final Instant instant) {
            this.from = instant;
            return this;
        }

        public Builder to(final Instant instant) {
            this.to = instant;
            return this;
        }

        public Builder offset(final OffsetRange range) {
            offsets.add(range);
            return this;
        }

        public Builder offsets(final Collection<OffsetRange> ranges) {
            offsets.addAll(ranges);
            return this;
        }

        public Builder projects(final Collection<String> ids) {
            projects.addAll(ids);
            return this;
        }

        public Builder project(final String id) {
            projects.add(id);
            return this;
        }

        public Builder priorities(final Collection<Priority> values) {
            priorities.addAll(values);
            return this;
        }

        public Builder priority(final Priority value) {
            priorities.add(value);
            return this;
        }

        public Builder types(final Collection<EventType> values) {
            types.addAll(values);
            return this;
        }

        public Builder type(final EventType value) {
            types.add(value);
            return this;
        }

        public Builder zones(final Collection<String> values) {
            zones.addAll(values);
            return this;
        }

        public Builder zone(final String value) {
            zones.add(value);
            return this;
        }

        public Builder limit(final long value) {
            this.limit = value;
            return this;
        }

        List<String> problems() {
            return RangeQuery.problems(topics, Optional.ofNullable(from), Optional.ofNullable(to), offsets, projects,
                    zones, limit == null ? OptionalLong.empty() : OptionalLong.of(limit));
        }

        /** @throws InvalidRangeQueryException listing every problem */
        public RangeQuery build() {
            return new RangeQuery(topics, Optional.ofNullable(from), Optional.ofNullable(to), offsets, projects,
                    priorities, types, zones, limit == null ? OptionalLong.empty() : OptionalLong.of(limit));
        }
    }
}
