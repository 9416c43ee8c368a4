package io.sitewire.schemas.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeQueryTest {

    private static final TopicCatalogue LIVE = TopicCatalogue.LIVE;
    private static final Instant EIGHT = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant NINE = Instant.parse("2026-11-25T09:00:00Z");

    @Test
    void parsesTheDocumentedQueryParameters() {
        // Given the parameters of GET /v1/replay as a server hands them over
        final Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("topics", List.of("alerts,sensor-readings"));
        params.put("from", List.of("2026-11-25T08:00:00Z"));
        params.put("to", List.of("1795597200000"));
        params.put("project", List.of("p1"));
        params.put("priority", List.of("emergency,URGENT"));
        params.put("type", List.of("alert", "sensor-reading"));
        params.put("zone", List.of("basement"));
        params.put("limit", List.of("500"));

        // When parsed
        final RangeQuery query = RangeQuery.fromQueryParameters(params);

        // Then every parameter is in the query, list values split and added up
        assertThat(query.topics()).containsExactly("alerts", "sensor-readings");
        assertThat(query.from()).contains(EIGHT);
        assertThat(query.to()).contains(NINE);
        assertThat(query.projects()).containsExactly("p1");
        assertThat(query.priorities()).containsExactly(Priority.EMERGENCY, Priority.URGENT);
        assertThat(query.types()).containsExactly(EventType.SENSOR_READING, EventType.ALERT);
        assertThat(query.zones()).containsExactly("basement");
        assertThat(query.limit()).hasValue(500);
        assertThat(query.byOffsets()).isFalse();
    }

    @Test
    void reportsEveryBadParameterAtOnce() {
        // Given parameters with seven different mistakes
        final Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("topics", List.of("alerts"));
        params.put("form", List.of("2026-11-25"));
        params.put("from", List.of("2026-11-25T08:00:00", "2026-11-25T09:00:00Z"));
        params.put("to", List.of("yesterday"));
        params.put("priority", List.of("CRITICAL"));
        params.put("type", List.of("alerts"));
        params.put("limit", List.of("ten"));
        params.put("zone", List.of(""));

        // When parsed, Then one exception lists each mistake, naming its parameter
        assertThatThrownBy(() -> RangeQuery.fromQueryParameters(params))
                .isInstanceOfSatisfying(InvalidRangeQueryException.class, e -> assertThat(e.problems()).containsExactly(
                        "form: unknown parameter (known: topics, from, to, offsets, project, priority, type, zone, limit)",
                        "from: given 2 times; give it once",
                        "to: 'yesterday' is not epoch milliseconds, an ISO-8601 instant (2026-11-25T08:00:00Z) or a date (2026-11-25)",
                        "priority: 'CRITICAL' is not a priority ([EMERGENCY, URGENT, HIGH, NORMAL, LOW])",
                        "type: 'alerts' is not an event type (worker_position, worker_presence, equipment_status, "
                                + "sensor_reading, wearable_alarm, manual_broadcast, alert, worker_state, zone_headcount, "
                                + "roll_call, dead_letter)",
                        "zone: given without a value",
                        "limit: 'ten' is not a whole number"));
    }

    @Test
    void rejectsContradictoryStretches() {
        // topics and offsets together
        assertThatThrownBy(() -> RangeQuery.builder().topics("alerts")
                .offset(OffsetRange.parse("sensor-readings:0:0-9")).build())
                .hasMessageContaining("offsets: give either topics (with from/to) or offsets, not both");
        // a time range with offsets
        assertThatThrownBy(() -> RangeQuery.builder().from(EIGHT).offset(OffsetRange.parse("sensor-readings:0:0-9")).build())
                .hasMessageContaining("from/to: a time range and offset ranges cannot be combined");
        // an empty or reversed time range
        assertThatThrownBy(() -> RangeQuery.builder().topics("alerts").from(NINE).to(EIGHT).build())
                .hasMessageContaining("to: 2026-11-25T08:00:00Z is not after from 2026-11-25T09:00:00Z");
        assertThatThrownBy(() -> RangeQuery.builder().topics("alerts").from(NINE).to(NINE).build())
                .hasMessageContaining("is not after from");
        // nothing to read
        assertThatThrownBy(() -> RangeQuery.builder().project("p1").build())
                .hasMessageContaining("topics: name at least one topic");
        assertThatThrownBy(() -> RangeQuery.builder().topics("alerts").limit(0).build())
                .hasMessageContaining("limit: must be at least 1, got 0");
    }

    @Test
    void readsInstantsInTheDocumentedForms() {
        assertThat(RangeQuery.parseInstant("1795593600000")).isEqualTo(EIGHT);
        assertThat(RangeQuery.parseInstant("2026-11-25T08:00:00Z")).isEqualTo(EIGHT);
        assertThat(RangeQuery.parseInstant("2026-11-25T09:00:00+01:00")).isEqualTo(EIGHT);
        assertThat(RangeQuery.parseInstant("2026-11-25T08:00:00.250Z")).isEqualTo(EIGHT.plusMillis(250));
        assertThat(RangeQuery.parseInstant("2026-11-25")).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThatThrownBy(() -> RangeQuery.parseInstant("2026-11-25T08:00:00"))
                .hasMessage("'2026-11-25T08:00:00' has no time zone; add one (2026-11-25T08:00:00Z for UTC, or +01:00)");
        assertThatThrownBy(() -> RangeQuery.parseInstant("25/11/2026")).hasMessageContaining("is not epoch milliseconds");
    }

    @Test
    void parsesOffsetRanges() {
        assertThat(OffsetRange.parse("sensor-readings:3:1000-1999"))
                .isEqualTo(new OffsetRange("sensor-readings", 3, 1000, 1999));
        assertThat(OffsetRange.parse("alerts.emergency:0:5-").open()).isTrue();
        assertThat(OffsetRange.parse("alerts.emergency:0:5-")).hasToString("alerts.emergency:0:5-");
        assertThat(OffsetRange.parse("x:0:7-7").toOffset()).isEqualTo(7);
        assertThatThrownBy(() -> OffsetRange.parse("sensor-readings:3")).hasMessageContaining("is not topic:partition:from-to");
        assertThatThrownBy(() -> OffsetRange.parse("sensor-readings:x:1-2")).hasMessageContaining("partition 'x' is not a number");
        assertThatThrownBy(() -> OffsetRange.parse("sensor-readings:1:9-2")).hasMessageContaining("toOffset 2 is before fromOffset 9");
        assertThatThrownBy(() -> OffsetRange.parse("sensor-readings:1:-2")).hasMessageContaining("are not from-to");
        assertThatThrownBy(() -> OffsetRange.parse("sensor-readings:-1:0-2")).hasMessageContaining("partition must be >= 0");
    }

    @Test
    void queryParametersRoundTrip() {
        // Given random valid queries (seeded, so a failure replays)
        final Random random = new Random(20261125L);
        for (int i = 0; i < 500; i++) {
            final RangeQuery.Builder b = RangeQuery.builder();
            if (random.nextBoolean()) {
                final List<String> topics = pick(random, List.of("alerts", "sensor-readings", "alerts.emergency",
                        "sitewire.worker-positions"));
                b.topics(topics.isEmpty() ? List.of("alerts") : topics);
                final long from = 1_764_000_000_000L + random.nextInt(1_000_000);
                if (random.nextBoolean()) {
                    b.from(Instant.ofEpochMilli(from));
                }
                if (random.nextBoolean()) {
                    b.to(Instant.ofEpochMilli(from + 1 + random.nextInt(1_000_000)));
                }
            } else {
                final long start = random.nextInt(10_000);
                b.offset(new OffsetRange("sensor-readings", random.nextInt(12), start,
                        random.nextBoolean() ? OffsetRange.OPEN : start + random.nextInt(1000)));
            }
            pick(random, List.of("p1", "tower-7", "site_B")).forEach(b::project);
            pick(random, List.of(Priority.values())).forEach(b::priority);
            pick(random, List.of(EventType.values())).forEach(b::type);
            pick(random, List.of("basement", "L3-east")).forEach(b::zone);
            if (random.nextBoolean()) {
                b.limit(1 + random.nextInt(100));
            }
            final RangeQuery query = b.build();

            // When turned into parameters and back, Then it is the same query
            assertThat(RangeQuery.fromQueryParameters(query.toQueryParameters())).as(query.describe()).isEqualTo(query);
        }
    }

    @Test
    void resolvesFamiliesPrioritiesAndFullNames() {
        // A family is all its topics, most urgent first
        assertThat(names(RangeQuery.builder().topics("alerts").build().resolve(LIVE).topics())).containsExactly(
                "sitewire.alerts.emergency", "sitewire.alerts.urgent", "sitewire.alerts.high",
                "sitewire.alerts.normal", "sitewire.alerts.low");
        // family.priority and a full name pick one; duplicates are read once
        assertThat(names(RangeQuery.builder().topics("sensor-readings", "alerts.emergency", "sitewire.alerts.emergency")
                .build().resolve(LIVE).topics())).containsExactly("sitewire.sensor-readings", "sitewire.alerts.emergency");
        // a what-if catalogue resolves the same names to its own topics
        assertThat(names(RangeQuery.builder().topics("alerts.low").build().resolve(TopicCatalogue.withPrefix("whatif-a"))
                .topics())).containsExactly("whatif-a.alerts.low");
        // state families by their family name
        assertThat(names(RangeQuery.builder().topics("worker-state").build().resolve(LIVE).topics()))
                .containsExactly("sitewire.state.workers");
    }

    @Test
    void unknownNamesAreReportedWithWhatWouldWork() {
        assertThatThrownBy(() -> RangeQuery.builder().topics("alert", "sensor-readings.low", "alerts.critical").build().resolve(LIVE))
                .isInstanceOfSatisfying(InvalidRangeQueryException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems().get(0)).startsWith("topics: unknown topic 'alert'; use a family (wearable-alarms, "
                            + "worker-presence, worker-positions, equipment-status, sensor-readings, broadcasts, alerts,")
                            .endsWith("or a full topic name with prefix 'sitewire' (sitewire.alerts.emergency)");
                });
    }

    @Test
    void filtersLeaveOutTopicsThatCannotMatch() {
        // Given alerts and sensor readings, filtered to EMERGENCY and URGENT
        final RangeQuery.Resolved resolved = RangeQuery.builder().topics("alerts", "sensor-readings")
                .priority(Priority.EMERGENCY).priority(Priority.URGENT).build().resolve(LIVE);
        // Then only the two alert topics of those priorities are read, and the others are named in notes
        assertThat(names(resolved.topics())).containsExactly("sitewire.alerts.emergency", "sitewire.alerts.urgent");
        assertThat(resolved.notes()).contains("skipped sitewire.sensor-readings: it holds LOW records only, not [EMERGENCY, URGENT]");

        // A type filter leaves out topics of other types
        final RangeQuery.Resolved byType = RangeQuery.builder().topics("alerts.high", "sensor-readings")
                .type(EventType.SENSOR_READING).build().resolve(LIVE);
        assertThat(names(byType.topics())).containsExactly("sitewire.sensor-readings");
        assertThat(byType.notes()).containsExactly("skipped sitewire.alerts.high: it holds alert records, not sensor_reading");

        // Filters that leave nothing are an error, not an empty export
        assertThatThrownBy(() -> RangeQuery.builder().topics("sensor-readings").type(EventType.ALERT).build().resolve(LIVE))
                .hasMessageContaining("the filters leave no topic to read: skipped sitewire.sensor-readings");
    }

    @Test
    void offsetRangesNeedOneTopicAndOneRangePerPartition() {
        assertThatThrownBy(() -> RangeQuery.builder().offset(OffsetRange.parse("alerts:0:0-9")).build().resolve(LIVE))
                .hasMessageContaining("offsets: 'alerts' is 5 topics (sitewire.alerts.emergency, ")
                .hasMessageContaining("an offset range needs one, e.g. sitewire.alerts.emergency");
        assertThatThrownBy(() -> RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:2:0-9"))
                .offset(OffsetRange.parse("sitewire.sensor-readings:2:20-29")).build().resolve(LIVE))
                .hasMessageContaining("offsets: two ranges for sitewire.sensor-readings partition 2");
        final RangeQuery.Resolved ok = RangeQuery.builder().offset(OffsetRange.parse("sensor-readings:2:0-9"))
                .offset(OffsetRange.parse("alerts.high:0:5-")).build().resolve(LIVE);
        assertThat(ok.offsets()).extracting(o -> o.topic().name() + "/" + o.range())
                .containsExactly("sitewire.sensor-readings/sensor-readings:2:0-9", "sitewire.alerts.high/alerts.high:0:5-");
    }

    @Test
    void matchesOnTimeProjectPriorityTypeAndZone() {
        final TopicSpec<?> readings = LIVE.sensorReadings();
        final TopicSpec<?> urgentAlerts = LIVE.alerts().topic(Priority.URGENT);
        final RangeQuery query = RangeQuery.builder().topics("alerts", "sensor-readings").from(EIGHT).to(NINE)
                .project("p1").zone("basement").priority(Priority.LOW).priority(Priority.URGENT).build();
        final long inside = EIGHT.toEpochMilli() + 10;

        // a reading of p1 in the basement, inside the range: its priority is its topic's (LOW)
        assertThat(query.matches(readings, inside, Records.reading("p1", "basement", Metric.co_ppm, 30, inside))).isTrue();
        // bounds: from inclusive, to exclusive
        assertThat(query.matches(readings, EIGHT.toEpochMilli(), Records.reading("p1", "basement", Metric.co_ppm, 30, 0))).isTrue();
        assertThat(query.matches(readings, NINE.toEpochMilli(), Records.reading("p1", "basement", Metric.co_ppm, 30, 0))).isFalse();
        assertThat(query.matches(readings, EIGHT.toEpochMilli() - 1, Records.reading("p1", "basement", Metric.co_ppm, 30, 0))).isFalse();
        // another project, another zone
        assertThat(query.matches(readings, inside, Records.reading("p2", "basement", Metric.co_ppm, 30, inside))).isFalse();
        assertThat(query.matches(readings, inside, Records.reading("p1", "roof", Metric.co_ppm, 30, inside))).isFalse();
        // an alert's own priority counts
        assertThat(query.matches(urgentAlerts, inside, Records.alert("p1", Priority.URGENT, "basement", inside))).isTrue();
        assertThat(query.matches(urgentAlerts, inside, Records.alert("p1", Priority.EMERGENCY, "basement", inside))).isFalse();
        // a broadcast is in a zone only when addressed to it
        final RangeQuery broadcasts = RangeQuery.builder().topics("broadcasts").zone("basement").build();
        final TopicSpec<?> normalBroadcasts = LIVE.broadcasts().topic(Priority.NORMAL);
        assertThat(broadcasts.matches(normalBroadcasts, 0, Records.broadcast("p1", Priority.NORMAL, TargetScope.ZONE, "basement"))).isTrue();
        assertThat(broadcasts.matches(normalBroadcasts, 0, Records.broadcast("p1", Priority.NORMAL, TargetScope.TRADE, "basement"))).isFalse();
        // a record without a project never matches a project filter, but matches when there is none
        assertThat(RangeQuery.builder().topics("dead-letter").project("p1").build()
                .matches(LIVE.deadLetter(), 0, Records.deadLetter())).isFalse();
        assertThat(RangeQuery.builder().topics("dead-letter").build().matches(LIVE.deadLetter(), 0, Records.deadLetter())).isTrue();
        // the type filter
        final RangeQuery alarmsOnly = RangeQuery.builder().topics("wearable-alarms", "sensor-readings").type(EventType.WEARABLE_ALARM).build();
        assertThat(alarmsOnly.matches(LIVE.wearableAlarms(), 0, Records.alarm("p1", 0))).isTrue();
        assertThat(alarmsOnly.matches(readings, 0, Records.reading("p1", "b", Metric.co_ppm, 1, 0))).isFalse();
    }

    private static List<String> names(final List<TopicSpec<?>> specs) {
        return specs.stream().map(TopicSpec::name).toList();
    }

    private static <T> List<T> pick(final Random random, final List<T> from) {
        final List<T> picked = new ArrayList<>();
        for (final T item : from) {
            if (random.nextInt(3) == 0) {
                picked.add(item);
            }
        }
        if (picked.isEmpty() && random.nextBoolean()) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return picked;
    }
}
