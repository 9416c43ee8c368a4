package io.sitewire.schemas.topics;

import io.sitewire.events.Alert;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic Sitewire uses, in one place. No other code names a topic: it asks this catalogue.
 *
 * <p>Names are {@code <prefix>.<family>[.<priority>]}. The prefix is "sitewire" for live topics; the
 * analysts' what-if reprocessing uses another prefix, so it can never write to live topics.
 *
 * <p>Raw input families with a single fixed priority (a wearable alarm is always EMERGENCY, sensor
 * telemetry always LOW) are one topic each; families that carry mixed priorities (alerts, broadcasts)
 * are one topic per priority. Current-state families are compacted; emergency alerts are kept longest.
 */
public record TopicCatalogue(
        String prefix,
        TopicSpec<WorkerPosition> workerPositions,
        TopicSpec<WorkerPresence> workerPresence,
        TopicSpec<EquipmentStatus> equipmentStatus,
        TopicSpec<SensorReading> sensorReadings,
        TopicSpec<WearableAlarm> wearableAlarms,
        PriorityFamily<ManualBroadcast> broadcasts,
        PriorityFamily<Alert> alerts,
        TopicSpec<WorkerState> workerState,
        TopicSpec<EquipmentStatus> equipmentState,
        TopicSpec<ZoneHeadcount> headcount,
        TopicSpec<RollCall> rollCall,
        TopicSpec<DeadLetter> deadLetter) {

    public static final String LIVE_PREFIX = "sitewire";

    /** The live topics. */
    public static final TopicCatalogue LIVE = withPrefix(LIVE_PREFIX);

    private static final String LZ4 = "lz4";
    private static final String ZSTD = "zstd";

    public static TopicCatalogue withPrefix(final String prefix) {
        if (!prefix.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("topic prefix must be lower-case letters, digits and '-', got: " + prefix);
        }
        final String p = prefix + ".";
        return new TopicCatalogue(
                prefix,
                input(p + "worker-positions", "worker-positions", Priority.NORMAL, WorkerPosition.class, 12, days(3), LZ4,
                        "position fixes of workers"),
                input(p + "worker-presence", "worker-presence", Priority.HIGH, WorkerPresence.class, 6, days(30), LZ4,
                        "check-ins, check-outs and status changes"),
                input(p + "equipment-status", "equipment-status", Priority.NORMAL, EquipmentStatus.class, 6, days(7), LZ4,
                        "state, position and safety radius of machines"),
                input(p + "sensor-readings", "sensor-readings", Priority.LOW, SensorReading.class, 12, days(7), ZSTD,
                        "gas, dust, noise and vital-sign telemetry (bulk)"),
                input(p + "wearable-alarms", "wearable-alarms", Priority.EMERGENCY, WearableAlarm.class, 6, days(365), LZ4,
                        "fall, SOS and man-down alarms from worn devices"),
                family(p + "broadcasts", "broadcasts", ManualBroadcast.class, 3, TopicCatalogue::alertRetention,
                        "supervisors' evacuation, weather and schedule messages"),
                family(p + "alerts", "alerts", Alert.class, 6, TopicCatalogue::alertRetention,
                        "safety alerts raised and cleared by the streams app"),
                state(p + "state.workers", "worker-state", KeyLayout.PROJECT_WORKER, WorkerState.class,
                        "current state of every worker"),
                state(p + "state.equipment", "equipment-state", KeyLayout.PROJECT_EQUIPMENT, EquipmentStatus.class,
                        "latest status of every machine"),
                state(p + "state.headcount", "headcount", KeyLayout.PROJECT_ZONE, ZoneHeadcount.class,
                        "checked-in workers per zone"),
                state(p + "state.roll-call", "roll-call", KeyLayout.PROJECT, RollCall.class,
                        "evacuation roll-call per project"),
                new TopicSpec<>(p + "dead-letter", "dead-letter", Optional.empty(), KeyLayout.SOURCE_POSITION, DeadLetter.class,
                        3, 2, Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG, days(30),
                                TopicConfig.COMPRESSION_TYPE_CONFIG, ZSTD),
                        "records that could not be decoded or validated, with their origin"));
    }

    /** Every topic, in a stable order (inputs, families from EMERGENCY down, state, dead letters). */
    public List<TopicSpec<?>> all() {
        final List<TopicSpec<?>> all = new ArrayList<>();
        all.add(wearableAlarms);
        all.add(workerPresence);
        all.add(workerPositions);
        all.add(equipmentStatus);
        all.add(sensorReadings);
        all.addAll(broadcasts.topicsByUrgency());
        all.addAll(alerts.topicsByUrgency());
        all.add(workerState);
        all.add(equipmentState);
        all.add(headcount);
        all.add(rollCall);
        all.add(deadLetter);
        return List.copyOf(all);
    }

    /** The topic with this name, if it is one of ours. */
    public Optional<TopicSpec<?>> byName(final String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Alert retention: the more urgent, the longer it is kept (emergencies one year, for investigations). */
    static String alertRetention(final Priority priority) {
        return switch (priority) {
            case EMERGENCY -> days(365);
            case URGENT -> days(180);
            case HIGH -> days(90);
            case NORMAL -> days(30);
            case LOW -> days(14);
        };
    }

    private static <V extends SpecificRecord> TopicSpec<V> input(
            final String name, final String family, final Priority priority, final Class<V> type,
            final int partitions, final String retentionMs, final String compression, final String description) {
        return new TopicSpec<>(name, family, Optional.of(priority), KeyLayout.PROJECT, type, partitions, 2, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                TopicConfig.COMPRESSION_TYPE_CONFIG, compression), description);
    }

    private static <V extends SpecificRecord> PriorityFamily<V> family(
            final String base, final String family, final Class<V> type, final int partitions,
            final Function<Priority, String> retention, final String description) {
        final Map<Priority, TopicSpec<V>> topics = new EnumMap<>(Priority.class);
        for (final Priority priority : Priority.values()) {
            final String level = priority.name().toLowerCase(Locale.ROOT);
            // Bulk levels are compressed harder; urgent levels favour latency.
            final String compression = priority.ordinal() <= Priority.HIGH.ordinal() ? LZ4 : ZSTD;
            topics.put(priority, new TopicSpec<>(base + "." + level, family, Optional.of(priority), KeyLayout.PROJECT, type,
                    partitions, 2, Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, retention.apply(priority),
                            TopicConfig.COMPRESSION_TYPE_CONFIG, compression),
                    description + " (" + level + ")"));
        }
        return new PriorityFamily<>(family, topics);
    }

    private static <V extends SpecificRecord> TopicSpec<V> state(
            final String name, final String family, final KeyLayout key, final Class<V> type, final String description) {
        return new TopicSpec<>(name, family, Optional.empty(), key, type, 6, 2, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                // Roll segments hourly so compaction can run and a restarted reader loads little history.
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                // No record younger than an hour is compacted away: a client resuming within the hour replays every
                // state change it missed, not only each key's latest (without it a segment that rolled a second
                // after a client dropped could be cleaned before its resume read it).
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis()),
                TopicConfig.COMPRESSION_TYPE_CONFIG, LZ4), description);
    }

    private static String days(final int days) {
        return Long.toString(Duration.ofDays(days).toMillis());
    }
}
