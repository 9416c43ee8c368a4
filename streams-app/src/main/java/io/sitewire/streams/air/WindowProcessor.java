package io.sitewire.streams.air;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.AirQualityConfig.Limits;
import io.sitewire.streams.air.AirQualityConfig.ZoneAggregate;
import io.sitewire.streams.air.support.Alerts;
import io.sitewire.streams.air.support.CachedStore;
import io.sitewire.streams.air.support.Durations;
import io.sitewire.streams.air.support.Episode;
import io.sitewire.streams.air.support.ProjectClocks;
import io.sitewire.streams.air.support.Sample;
import io.sitewire.streams.air.support.StoreKeys;
import io.sitewire.streams.air.support.SweepingProcessor;
import io.sitewire.streams.air.support.ZoneEpisode;
import io.sitewire.streams.support.JsonSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Windowed air limits (15-min short-term, 8-h TWA, 24-h PM guidance): time-weighted averages over hopping windows
 * that end at every multiple of {@code step}, each evaluated once its end has passed the project's watermark.
 *
 * <p>Time weighting: a reading stands for its value from its event time until the sensor's next reading (at most
 * {@code maxSampleGap}); the integral of that step function is kept as a running sum per series (project, sensor,
 * metric) and stored at every boundary, so a window's average is {@code (cum(end) - cum(end - window)) / window}
 * (TWA = Σ Ci·ti / 8 h). Readings wait in an event-time-sorted timeline until the watermark passes them, so the
 * weight of each reading is computed from its true successor whatever order they arrived in.
 */
final class WindowProcessor extends SweepingProcessor {

    static final String CLOCK_STORE = "air-window-clock";
    static final String SERIES_STORE = "air-window-series";
    static final String SAMPLE_STORE = "air-window-samples";
    static final String CUMULATIVE_STORE = "air-window-cumulative";
    static final String ZONE_STORE = "air-window-zones";
    static final String FAMILY = "air-windows";

    private static final Logger LOG = LoggerFactory.getLogger(WindowProcessor.class);

    /** The running integral of one (project, sensor, metric). */
    public static final class Series {
        public String projectId;
        public String sensorId;
        public String metric;
        /** The integral is 0 up to this boundary: the series did not exist before. */
        public long startBoundary;
        /** The integral is final up to this boundary. */
        public long doneUntil;
        /** ∫ value dt (value × ms) from startBoundary to doneUntil. */
        public double cum;
        /** The latest integrated reading (it may still be contributing), or -1. */
        public long openTime = -1;
        public double openValue;
        public String zone;
        public String workerId;
        public TreeMap<String, Episode> episodes = new TreeMap<>();

        public Series() {
        }

        Series(final SensorReading r, final long boundary) {
            this.projectId = r.getProjectId();
            this.sensorId = r.getSensorId();
            this.metric = r.getMetric().name();
            this.startBoundary = boundary;
            this.doneUntil = boundary;
            this.zone = r.getZone();
            this.workerId = r.getWorkerId();
        }

        boolean isFresh() {
            return openTime < 0 && cum == 0 && episodes.isEmpty();
        }
    }

    /** Values of a zone's fixed sensors for one rule at one boundary. */
    private static final class ZoneValues {
        final String zone;
        final String ruleId;
        final List<Double> values = new ArrayList<>();
        final List<String> sensors = new ArrayList<>();

        ZoneValues(final String zone, final String ruleId) {
            this.zone = zone;
            this.ruleId = ruleId;
        }
    }

    private final AirQualityConfig config;
    private final long maxGapMs;
    private CachedStore<Series> series;
    private KeyValueStore<String, Sample> samples;
    private KeyValueStore<String, Double> cumulative;
    private KeyValueStore<String, ZoneEpisode> zones;

    WindowProcessor(final AirQualityConfig config) {
        super(FAMILY, CLOCK_STORE, config.grace(), config.step(), config.maxFutureSkew(), LOG);
        this.config = config;
        this.maxGapMs = config.maxSampleGap().toMillis();
    }

    static FixedKeyProcessorSupplier<String, SensorReading, Alert> supplier(final AirQualityConfig config) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, SensorReading, Alert> get() {
                return new WindowProcessor(config);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CLOCK_STORE), Serdes.String(),
                                new JsonSerde<>(ProjectClocks.State.class)).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SERIES_STORE), Serdes.String(),
                                new JsonSerde<>(Series.class)).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SAMPLE_STORE), Serdes.String(),
                                new Sample.SampleSerde()).withCachingDisabled(),
                        // The only large state (one entry per series and step over the longest window): on disk.
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CUMULATIVE_STORE), Serdes.String(),
                                Serdes.Double()).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ZONE_STORE), Serdes.String(),
                                new JsonSerde<>(ZoneEpisode.class)).withCachingDisabled());
            }
        };
    }

    @Override
    protected void initStores(final FixedKeyProcessorContext<String, Alert> context) {
        series = new CachedStore<>(context.getStateStore(SERIES_STORE));
        samples = context.getStateStore(SAMPLE_STORE);
        cumulative = context.getStateStore(CUMULATIVE_STORE);
        zones = context.getStateStore(ZONE_STORE);
    }

    @Override
    protected void clearCaches() {
        series.clear();
    }

    @Override
    protected boolean tracks(final SensorReading r) {
        return !config.limitsFor(r.getProjectId()).windowed(r.getMetric()).isEmpty();
    }

    @Override
    protected void accept(final SensorReading r, final long sweptUntil) {
        final String key = StoreKeys.of(r.getProjectId(), r.getSensorId(), r.getMetric().name());
        if (series.get(key) == null) {
            series.put(key, new Series(r, sweptUntil));
        }
        // A duplicate (same sensor, metric and event time) overwrites: redelivery does not count twice.
        samples.put(StoreKeys.timed(key, r.getEventTime()), new Sample(r.getValue(), r.getZone(), r.getWorkerId(), null));
    }

    @Override
    protected long sweep(final String projectId, final long boundary, final List<Alert> out) {
        final Limits limits = config.limitsFor(projectId);
        final long now = context.currentSystemTimeMs();
        final Map<String, ZoneValues> zoneValues = new TreeMap<>();
        long next = Long.MAX_VALUE;
        for (final String key : keys(series.store(), StoreKeys.prefix(projectId))) {
            next = Math.min(next, sweepSeries(key, boundary, limits, now, out, zoneValues));
        }
        if (limits.zoneRollup() || hasOpenZones(projectId)) {
            sweepZones(projectId, boundary, limits, now, out, zoneValues);
        }
        return next;
    }

    private long sweepSeries(final String key, final long boundary, final Limits limits, final long now,
            final List<Alert> out, final Map<String, ZoneValues> zoneValues) {
        final Series s = series.get(key);
        final Metric metric = Metric.valueOf(s.metric);
        final List<AirRule> rules = limits.windowed(metric);
        if (rules.isEmpty()) {
            for (final var e : s.episodes.entrySet()) {
                out.add(seriesAlert(AlertState.CLEARED, s, limits.rule(e.getKey()), e.getValue(), 0, boundary, now,
                        Units.label(metric) + " rule " + e.getKey() + " was disabled; closing its episode at sensor " + where(s)));
            }
            forget(key);
            return Long.MAX_VALUE;
        }
        if (boundary <= s.doneUntil) {
            return boundary + stepMs();
        }
        final List<KeyValue<String, Sample>> due = new ArrayList<>();
        try (KeyValueIterator<String, Sample> it = samples.range(StoreKeys.timed(key, 0), StoreKeys.timed(key, boundary - 1))) {
            it.forEachRemaining(due::add);
        }
        if (due.isEmpty() && s.isFresh()) {
            // Nothing before this boundary yet: the integral stays 0, no need to store it.
            s.startBoundary = boundary;
            s.doneUntil = boundary;
            series.put(key, s);
            final long first = firstPendingTime(key);
            return first < 0 ? Long.MAX_VALUE : Math.max(boundary + stepMs(), floor(first) + stepMs());
        }
        if (s.isFresh() && !due.isEmpty()) {
            // The integral is 0 up to the first reading: boundaries skipped while the series was waiting hold 0.
            s.startBoundary = Math.max(s.doneUntil, floor(StoreKeys.timeOf(due.get(0).key)));
        }
        long pos = s.doneUntil;
        for (final KeyValue<String, Sample> kv : due) {
            final long t = StoreKeys.timeOf(kv.key);
            integrate(s, pos, t);
            s.openTime = t;
            s.openValue = kv.value.value();
            s.zone = kv.value.zone();
            s.workerId = kv.value.workerId();
            pos = Math.max(pos, t);
            samples.delete(kv.key);
        }
        integrate(s, pos, boundary);
        s.doneUntil = boundary;
        cumulative.put(StoreKeys.timed(key, boundary), s.cum);

        for (final AirRule rule : rules) {
            final long windowMs = rule.window().toMillis();
            final double average = Math.max(0, (s.cum - cumAt(key, s, boundary - windowMs)) / windowMs);
            evaluate(s, rule, average, boundary, now, out);
            final boolean fixed = s.workerId == null;
            final boolean inWindow = s.openTime >= 0 && s.openTime + maxGapMs > boundary - windowMs;
            if (fixed && inWindow && limits.zoneRollup()) {
                final ZoneValues zv = zoneValues.computeIfAbsent(StoreKeys.of(s.zone, rule.id()),
                        k -> new ZoneValues(s.zone, rule.id()));
                zv.values.add(average);
                zv.sensors.add(s.sensorId);
            }
        }

        for (final String id : List.copyOf(s.episodes.keySet())) {
            if (rules.stream().noneMatch(rule -> rule.id().equals(id))) {
                // disabled by new settings: close the episode rather than leave it open for ever
                final Episode open = s.episodes.remove(id);
                final AirRule rule = limits.rule(id);
                out.add(seriesAlert(AlertState.CLEARED, s, rule, open, 0, boundary, now,
                        Units.label(metric) + " rule " + id + " was disabled; closing its episode at sensor " + where(s)));
            }
        }

        final long longest = limits.longestWindowMs(metric);
        deleteRange(cumulative, StoreKeys.timed(key, 0), StoreKeys.timed(key, Math.max(0, boundary - longest - 1)));
        final boolean silent = s.openTime < 0 || s.openTime + maxGapMs <= boundary - longest;
        if (silent && s.episodes.isEmpty() && firstPendingTime(key) < 0) {
            // Every window average is 0 and nothing is open or waiting: forget the sensor until it reports again.
            forget(key);
            return Long.MAX_VALUE;
        }
        series.put(key, s);
        return boundary + stepMs();
    }

    private void integrate(final Series s, final long from, final long to) {
        if (s.openTime < 0) {
            return;
        }
        final long start = Math.max(from, s.openTime);
        final long end = Math.min(to, s.openTime + maxGapMs);
        if (end > start) {
            s.cum += s.openValue * (end - start);
        }
    }

    private double cumAt(final String key, final Series s, final long t) {
        if (t <= s.startBoundary) {
            return 0;
        }
        final Double v = cumulative.get(StoreKeys.timed(key, t));
        if (v == null) {
            LOG.warn("No running integral stored for {} at {}: treating the window start as 0", key, Instant.ofEpochMilli(t));
            return 0;
        }
        return v;
    }

    private void evaluate(final Series s, final AirRule rule, final double average, final long boundary, final long now,
            final List<Alert> out) {
        final Episode open = s.episodes.get(rule.id());
        final Metric metric = rule.metric();
        final String what = Units.label(metric) + " " + Durations.human(rule.window()) + " average";
        if (open == null && rule.breaches(average)) {
            final Episode ep = new Episode(boundary, rule.priority(), rule.limit(), rule.limitSource(), s.zone, s.workerId, false);
            s.episodes.put(rule.id(), ep);
            out.add(seriesAlert(AlertState.RAISED, s, rule, ep, average, boundary, now,
                    what + " " + Units.amount(average, metric) + " at sensor " + where(s) + " "
                            + CeilingProcessor.comparison(rule) + " " + Units.amount(rule.limit(), metric)
                            + " (window ending " + Instant.ofEpochMilli(boundary) + ")"));
        } else if (open != null && rule.clears(average)) {
            s.episodes.remove(rule.id());
            out.add(seriesAlert(AlertState.CLEARED, s, rule, open, average, boundary, now,
                    what + " back to " + Units.amount(average, metric) + " at sensor " + where(s) + " (clear level "
                            + Units.amount(rule.clearAt(), metric) + ", window ending " + Instant.ofEpochMilli(boundary) + ")"));
        }
    }

    private static Alert seriesAlert(final AlertState state, final Series s, final AirRule rule, final Episode ep,
            final double average, final long boundary, final long now, final String message) {
        return Alerts.builder(rule.type(), ep.priority, state, s.projectId, s.sensorId, rule.metricSegment(), ep.start,
                        s.metric, average, ep.limit, rule.id(), ep.limitSource, boundary, now)
                .setZone(ep.zone)
                .setWorkerId(ep.workerId)
                .setMessage(message)
                .build();
    }

    private void sweepZones(final String projectId, final long boundary, final Limits limits, final long now,
            final List<Alert> out, final Map<String, ZoneValues> zoneValues) {
        // Open zone episodes whose sensors all went quiet must still be evaluated (their aggregate is now 0).
        try (KeyValueIterator<String, ZoneEpisode> it = zones.prefixScan(StoreKeys.prefix(projectId), Serdes.String().serializer())) {
            while (it.hasNext()) {
                final ZoneEpisode z = it.next().value;
                if (z.isOpen()) {
                    zoneValues.computeIfAbsent(StoreKeys.of(z.zone, z.rule), k -> new ZoneValues(z.zone, z.rule));
                }
            }
        }
        for (final ZoneValues zv : zoneValues.values()) {
            final AirRule rule = limits.rule(zv.ruleId);
            final double value = aggregate(limits.zoneAggregate(), zv.values);
            final String key = StoreKeys.of(projectId, zv.zone, zv.ruleId);
            ZoneEpisode z = zones.get(key);
            if (z == null) {
                z = new ZoneEpisode();
                z.zone = zv.zone;
                z.rule = zv.ruleId;
            }
            final Metric metric = rule.metric();
            final String what = "Zone " + zv.zone + ": " + Units.label(metric) + " " + Durations.human(rule.window())
                    + " average (" + limits.zoneAggregate().name().toLowerCase(java.util.Locale.ROOT) + " of "
                    + zv.values.size() + " fixed sensor" + (zv.values.size() == 1 ? "" : "s") + ")";
            if (!z.isOpen() && rule.enabled() && rule.breaches(value)) {
                final long start = z.open(boundary, rule.priority(), rule.limit(), rule.limitSource());
                out.add(zoneAlert(AlertState.RAISED, projectId, z, rule, start, value, boundary, now,
                        what + " " + Units.amount(value, metric) + " " + CeilingProcessor.comparison(rule) + " "
                                + Units.amount(rule.limit(), metric) + " (sensors " + zv.sensors + ", window ending "
                                + Instant.ofEpochMilli(boundary) + ")"));
                zones.put(key, z);
            } else if (z.isOpen() && (rule.clears(value) || !rule.enabled())) {
                out.add(zoneAlert(AlertState.CLEARED, projectId, z, rule, z.start, value, boundary, now,
                        what + " back to " + Units.amount(value, metric) + " (clear level "
                                + Units.amount(rule.clearAt(), metric) + ", window ending " + Instant.ofEpochMilli(boundary) + ")"));
                z.close();
                zones.put(key, z);
            }
        }
    }

    private static Alert zoneAlert(final AlertState state, final String projectId, final ZoneEpisode z, final AirRule rule,
            final long start, final double value, final long boundary, final long now, final String message) {
        return Alerts.builder(rule.type(), z.priority, state, projectId, Alerts.zoneSubject(z.zone), rule.metricSegment(),
                        start, rule.metric().name(), value, z.limit, rule.id() + ".zone", z.limitSource, boundary, now)
                .setZone(z.zone)
                .setMessage(message)
                .build();
    }

    static double aggregate(final ZoneAggregate how, final List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double max = 0;
        double sum = 0;
        for (final double v : values) {
            max = Math.max(max, v);
            sum += v;
        }
        return how == ZoneAggregate.MAX ? max : sum / values.size();
    }

    private boolean hasOpenZones(final String projectId) {
        try (KeyValueIterator<String, ZoneEpisode> it = zones.prefixScan(StoreKeys.prefix(projectId), Serdes.String().serializer())) {
            while (it.hasNext()) {
                if (it.next().value.isOpen()) {
                    return true;
                }
            }
        }
        return false;
    }

    private long firstPendingTime(final String key) {
        try (KeyValueIterator<String, Sample> it = samples.range(StoreKeys.timed(key, 0), StoreKeys.timed(key, StoreKeys.MAX_TIME))) {
            return it.hasNext() ? StoreKeys.timeOf(it.next().key) : -1;
        }
    }

    private void forget(final String key) {
        series.delete(key);
        deleteRange(cumulative, StoreKeys.timed(key, 0), StoreKeys.timed(key, StoreKeys.MAX_TIME));
        deleteRange(samples, StoreKeys.timed(key, 0), StoreKeys.timed(key, StoreKeys.MAX_TIME));
    }

    private static String where(final Series s) {
        return s.sensorId + " in zone " + s.zone + (s.workerId == null ? "" : " (worn by " + s.workerId + ")");
    }

    static <V> List<String> keys(final KeyValueStore<String, V> store, final String prefix) {
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    static <V> void deleteRange(final KeyValueStore<String, V> store, final String from, final String to) {
        if (from.compareTo(to) > 0) {
            return;
        }
        final List<String> doomed = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            it.forEachRemaining(kv -> doomed.add(kv.key));
        }
        doomed.forEach(store::delete);
    }
}
