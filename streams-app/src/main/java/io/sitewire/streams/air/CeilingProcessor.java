package io.sitewire.streams.air;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.support.Alerts;
import io.sitewire.streams.air.support.CachedStore;
import io.sitewire.streams.air.support.Durations;
import io.sitewire.streams.air.support.Episode;
import io.sitewire.streams.air.support.ReadingCounter;
import io.sitewire.streams.air.support.StoreKeys;
import io.sitewire.streams.air.support.ZoneEpisode;
import io.sitewire.streams.support.JsonSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instantaneous ceilings (O2 band, LEL, CO, H2S): evaluated on each reading as it arrives, with no window and no
 * suppression. One RAISED per episode of a (sensor, metric, rule), a CLEARED with the same id once a reading is
 * back at or inside the clear level. A zone roll-up is open while any sensor of the zone is in an episode.
 *
 * <p>Ordering: the episode follows the newest reading of each sensor and metric. A reading older than one
 * already used (out of order or a duplicate) is ignored here and counted: a stale "safe" value must not clear a
 * live hazard, and a past spike that a newer reading shows is over is not an emergency now (it still counts in the
 * windowed limits, which wait for late readings).
 */
final class CeilingProcessor implements FixedKeyProcessor<String, SensorReading, Alert> {

    static final String SENSOR_STORE = "air-ceiling-sensors";
    static final String ZONE_STORE = "air-ceiling-zones";
    static final String FAMILY = "air-ceilings";

    private static final Logger LOG = LoggerFactory.getLogger(CeilingProcessor.class);

    /** Per (project, sensor, metric). */
    public static final class State {
        public long orderTime = Long.MIN_VALUE;
        public long eventTime = Long.MIN_VALUE;
        public TreeMap<String, Episode> episodes = new TreeMap<>();
        /** Last episode start per rule: a new episode starts strictly later, so ids never repeat. */
        public TreeMap<String, Long> lastStarts = new TreeMap<>();
    }

    private final AirQualityConfig config;
    private FixedKeyProcessorContext<String, Alert> context;
    private CachedStore<State> sensors;
    private CachedStore<ZoneEpisode> zones;
    private ReadingCounter ignored;

    CeilingProcessor(final AirQualityConfig config) {
        this.config = config;
    }

    static FixedKeyProcessorSupplier<String, SensorReading, Alert> supplier(final AirQualityConfig config) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, SensorReading, Alert> get() {
                return new CeilingProcessor(config);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SENSOR_STORE), Serdes.String(),
                                new JsonSerde<>(State.class)).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ZONE_STORE), Serdes.String(),
                                new JsonSerde<>(ZoneEpisode.class)).withCachingDisabled());
            }
        };
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.sensors = new CachedStore<>(context.getStateStore(SENSOR_STORE));
        this.zones = new CachedStore<>(context.getStateStore(ZONE_STORE));
        this.ignored = new ReadingCounter(context, FAMILY, "out-of-order-readings-ignored", LOG,
                "Ceiling rules ignored a reading older than one already used");
    }

    @Override
    public void process(final FixedKeyRecord<String, SensorReading> record) {
        try {
            processReading(record);
        } catch (final RuntimeException e) {
            // a deserialized state may have been changed and not put back: read everything from the stores again
            sensors.clear();
            zones.clear();
            throw e;
        }
    }

    private void processReading(final FixedKeyRecord<String, SensorReading> record) {
        final SensorReading r = record.value();
        if (r == null) {
            return;
        }
        final String projectId = r.getProjectId();
        final AirQualityConfig.Limits limits = config.limitsFor(projectId);
        final List<AirRule> rules = limits.ceilings(r.getMetric());
        if (rules.isEmpty() && !limits.hasCeiling(r.getMetric())) {
            return;
        }
        final long t = r.getEventTime();
        final long now = context.currentSystemTimeMs();
        // A reading dated in the future orders as "now + skew", so a wrong gateway clock cannot block the sensor.
        final long order = Math.min(t, now + config.maxFutureSkew().toMillis());
        final String key = StoreKeys.of(projectId, r.getSensorId(), r.getMetric().name());
        State state = sensors.get(key);
        if (state == null) {
            if (rules.isEmpty()) {
                return;
            }
            state = new State();
        } else if (order < state.orderTime || (order == state.orderTime && t == state.eventTime)) {
            ignored.record(r, "newest used reading of the sensor is at " + state.eventTime);
            return;
        }
        state.orderTime = order;
        state.eventTime = t;
        final double v = r.getValue();
        final List<Alert> out = new ArrayList<>(2);
        for (final AirRule rule : rules) {
            final Episode open = state.episodes.get(rule.id());
            if (open == null && rule.breaches(v)) {
                final long start = Math.max(t, state.lastStarts.getOrDefault(rule.id(), -1L) + 1);
                final Episode ep = new Episode(start, rule.priority(), rule.limit(), rule.limitSource(), r.getZone(),
                        r.getWorkerId(), limits.zoneRollup());
                state.episodes.put(rule.id(), ep);
                state.lastStarts.put(rule.id(), start);
                out.add(sensorAlert(AlertState.RAISED, rule, ep, r, now,
                        Units.label(rule.metric()) + " " + Units.amount(v, rule.metric()) + " at sensor " + where(r)
                                + " " + comparison(rule) + " " + Units.amount(rule.limit(), rule.metric())));
                if (ep.inZone) {
                    joinZone(projectId, rule, r, now, out);
                }
            } else if (open != null && rule.clears(v)) {
                state.episodes.remove(rule.id());
                out.add(sensorAlert(AlertState.CLEARED, rule, open, r, now,
                        Units.label(rule.metric()) + " back to " + Units.amount(v, rule.metric()) + " at sensor "
                                + where(r) + " (clear level " + Units.amount(rule.clearAt(), rule.metric()) + ")"));
                if (open.inZone) {
                    leaveZone(projectId, rule, open.zone, r, now, out);
                }
            }
        }
        closeDisabled(projectId, rules, state, r, now, out);
        sensors.put(key, state);
        for (final Alert alert : out) {
            context.forward(record.withValue(alert));
        }
    }

    /** An episode of a rule that a restart with new settings disabled would otherwise never clear. */
    private void closeDisabled(final String projectId, final List<AirRule> enabled, final State state,
            final SensorReading r, final long now, final List<Alert> out) {
        if (state.episodes.size() <= enabled.size()) {
            boolean allEnabled = true;
            for (final String id : state.episodes.keySet()) {
                allEnabled &= enabled.stream().anyMatch(rule -> rule.id().equals(id));
            }
            if (allEnabled) {
                return;
            }
        }
        final AirQualityConfig.Limits limits = config.limitsFor(projectId);
        for (final String id : List.copyOf(state.episodes.keySet())) {
            if (enabled.stream().noneMatch(rule -> rule.id().equals(id))) {
                final Episode open = state.episodes.remove(id);
                final AirRule rule = limits.rule(id);
                out.add(sensorAlert(AlertState.CLEARED, rule, open, r, now,
                        Units.label(rule.metric()) + " rule " + id + " was disabled; closing its episode at sensor " + where(r)));
                if (open.inZone) {
                    leaveZone(projectId, rule, open.zone, r, now, out);
                }
            }
        }
    }

    private void joinZone(final String projectId, final AirRule rule, final SensorReading r, final long now,
            final List<Alert> out) {
        final String key = StoreKeys.of(projectId, r.getZone(), rule.id());
        ZoneEpisode zone = zones.get(key);
        if (zone == null) {
            zone = new ZoneEpisode();
        }
        if (!zone.isOpen()) {
            final long start = zone.open(r.getEventTime(), rule.priority(), rule.limit(), rule.limitSource());
            out.add(Alerts.builder(rule.type(), zone.priority, AlertState.RAISED, projectId, Alerts.zoneSubject(r.getZone()),
                            rule.metricSegment(), start, rule.metric().name(), r.getValue(), zone.limit, rule.id() + ".zone",
                            zone.limitSource, r.getEventTime(), now)
                    .setZone(r.getZone())
                    .setMessage("Zone " + r.getZone() + ": " + Units.label(rule.metric()) + " "
                            + Units.amount(r.getValue(), rule.metric()) + " at sensor " + r.getSensorId() + " "
                            + comparison(rule) + " " + Units.amount(rule.limit(), rule.metric()))
                    .build());
        }
        zone.members.add(r.getSensorId());
        zones.put(key, zone);
    }

    private void leaveZone(final String projectId, final AirRule rule, final String zoneName, final SensorReading r,
            final long now, final List<Alert> out) {
        final String key = StoreKeys.of(projectId, zoneName, rule.id());
        final ZoneEpisode zone = zones.get(key);
        if (zone == null || !zone.isOpen()) {
            return;
        }
        zone.members.remove(r.getSensorId());
        if (zone.members.isEmpty()) {
            out.add(Alerts.builder(rule.type(), zone.priority, AlertState.CLEARED, projectId, Alerts.zoneSubject(zoneName),
                            rule.metricSegment(), zone.start, rule.metric().name(), r.getValue(), zone.limit,
                            rule.id() + ".zone", zone.limitSource, r.getEventTime(), now)
                    .setZone(zoneName)
                    .setMessage("Zone " + zoneName + ": " + Units.label(rule.metric()) + " back within the clear level at every sensor"
                            + " (last: " + r.getSensorId() + " at " + Units.amount(r.getValue(), rule.metric()) + ")")
                    .build());
            zone.close();
        }
        zones.put(key, zone);
    }

    private static Alert sensorAlert(final AlertState state, final AirRule rule, final Episode ep, final SensorReading r,
            final long now, final String message) {
        return Alerts.builder(rule.type(), ep.priority, state, r.getProjectId(), r.getSensorId(), rule.metricSegment(),
                        ep.start, rule.metric().name(), r.getValue(), ep.limit, rule.id(), ep.limitSource,
                        r.getEventTime(), now)
                .setZone(ep.zone)
                .setWorkerId(ep.workerId)
                .setMessage(message)
                .build();
    }

    private static String where(final SensorReading r) {
        return r.getSensorId() + " in zone " + r.getZone() + (r.getWorkerId() == null ? "" : " (worn by " + r.getWorkerId() + ")");
    }

    static String comparison(final AirRule rule) {
        final String limitName = rule.isCeiling() ? "limit" : Durations.human(rule.window()) + " average limit";
        if (rule.bound() == AirRule.Bound.UPPER) {
            return (rule.inclusive() ? "is at or above the " : "is above the ") + limitName + " of";
        }
        return (rule.inclusive() ? "is at or below the " : "is below the ") + limitName + " of";
    }

    @Override
    public void close() {
        if (ignored != null) {
            ignored.close();
        }
    }
}
