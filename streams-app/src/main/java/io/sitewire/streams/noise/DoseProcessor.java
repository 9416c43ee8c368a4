package io.sitewire.streams.noise;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.support.Alerts;
import io.sitewire.streams.air.support.Episode;
import io.sitewire.streams.air.support.ProjectClocks;
import io.sitewire.streams.air.support.Sample;
import io.sitewire.streams.air.support.StoreKeys;
import io.sitewire.streams.air.support.SweepingProcessor;
import io.sitewire.streams.air.support.ZoneEpisode;
import io.sitewire.streams.noise.NoiseConfig.DoseLevel;
import io.sitewire.streams.noise.NoiseConfig.Limits;
import io.sitewire.streams.support.JsonSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * Noise dose per worker (wearable dosimeters: readings with a workerId) and per zone (fixed meters: the zone's
 * roll-up is open while any meter of the zone has reached the level). D = 100 · Σ Ci / Ti with
 * Ti = criterionDuration / 2^((Li - criterion) / exchange); a reading's Ci is the time until the next reading of
 * the same worker or meter, at most {@code maxSampleGap}. The dose restarts with every shift.
 *
 * <p>A reading is added to the dose once its duration is final: its successor is known (the watermark passed it)
 * or the watermark is {@code maxSampleGap} past it. At each boundary the outcome is a function of the readings only,
 * whatever order they arrived in, and crossings of all workers and meters are applied in event-time order.
 */
final class DoseProcessor extends SweepingProcessor {

    static final String CLOCK_STORE = "noise-dose-clock";
    static final String SERIES_STORE = "noise-dose-series";
    static final String SAMPLE_STORE = "noise-dose-samples";
    static final String ZONE_STORE = "noise-dose-zones";
    static final String FAMILY = "noise-dose";
    static final String METRIC = "noise_dose_pct";

    private static final Logger LOG = LoggerFactory.getLogger(DoseProcessor.class);

    /** The dose of one worker (wearable) or one fixed meter in its current shift. */
    public static final class Series {
        public String projectId;
        /** Set for a worker's dose, null for a fixed meter. */
        public String workerId;
        /** The meter, or the worker's latest dosimeter. */
        public String sensorId;
        /** The shift {@code dose} belongs to, or -1 when no shift is open. */
        public long shiftStart = -1;
        public long shiftEnd = -1;
        public double dose;
        public TreeMap<String, Episode> episodes = new TreeMap<>();

        public Series() {
        }

        Series(final SensorReading r) {
            this.projectId = r.getProjectId();
            this.workerId = r.getWorkerId();
            this.sensorId = r.getSensorId();
        }

        boolean isWorker() {
            return workerId != null;
        }

        String subject() {
            return isWorker() ? workerId : sensorId;
        }
    }

    /** A crossing or a shift reset, applied after every series of the sweep, in event-time order. */
    private record Event(long time, String seriesKey, int seq, AlertState state, Series series, String levelId,
            Episode episode, double dose, double crossingTime, String sensorId, double dba) {

        /** The alert-id qualifier: {@code action} of {@code noise.dose.action}. */
        String level() {
            return levelId.substring(levelId.lastIndexOf('.') + 1);
        }
    }

    private final NoiseConfig config;
    private final long maxGapMs;
    private KeyValueStore<String, Series> series;
    private KeyValueStore<String, Sample> samples;
    private KeyValueStore<String, ZoneEpisode> zones;

    DoseProcessor(final NoiseConfig config) {
        super(FAMILY, CLOCK_STORE, config.grace(), config.step(), config.maxFutureSkew(), LOG);
        this.config = config;
        this.maxGapMs = config.maxSampleGap().toMillis();
    }

    static FixedKeyProcessorSupplier<String, SensorReading, Alert> supplier(final NoiseConfig config) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, SensorReading, Alert> get() {
                return new DoseProcessor(config);
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
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ZONE_STORE), Serdes.String(),
                                new JsonSerde<>(ZoneEpisode.class)).withCachingDisabled());
            }
        };
    }

    @Override
    protected void initStores(final FixedKeyProcessorContext<String, Alert> context) {
        series = context.getStateStore(SERIES_STORE);
        samples = context.getStateStore(SAMPLE_STORE);
        zones = context.getStateStore(ZONE_STORE);
    }

    @Override
    protected boolean tracks(final SensorReading r) {
        if (r.getMetric() != Metric.noise_dba) {
            return false;
        }
        final Limits limits = config.limitsFor(r.getProjectId());
        return limits.anyLevelEnabled() && (r.getWorkerId() != null || limits.zoneRollup());
    }

    static String seriesKey(final SensorReading r) {
        return r.getWorkerId() != null
                ? StoreKeys.of(r.getProjectId(), "w", r.getWorkerId())
                : StoreKeys.of(r.getProjectId(), "m", r.getSensorId());
    }

    @Override
    protected void accept(final SensorReading r, final long sweptUntil) {
        final String key = seriesKey(r);
        if (series.get(key) == null) {
            series.put(key, new Series(r));
        }
        samples.put(StoreKeys.timed(key, r.getEventTime()), new Sample(r.getValue(), r.getZone(), null, r.getSensorId()));
    }

    @Override
    protected long sweep(final String projectId, final long boundary, final List<Alert> out) {
        final Limits limits = config.limitsFor(projectId);
        final List<Event> events = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (final String key : keys(StoreKeys.prefix(projectId))) {
            next = Math.min(next, sweepSeries(key, boundary, limits, events));
        }
        events.sort(Comparator.comparingLong(Event::time).thenComparing(Event::seriesKey).thenComparingInt(Event::seq));
        final long now = context.currentSystemTimeMs();
        for (final Event e : events) {
            if (e.series().isWorker()) {
                out.add(workerAlert(e, limits, now));
            } else {
                zoneEvent(projectId, e, limits, now, out);
            }
        }
        return next;
    }

    private long sweepSeries(final String key, final long boundary, final Limits limits, final List<Event> events) {
        final Series s = series.get(key);
        final List<KeyValue<String, Sample>> due = new ArrayList<>();
        try (KeyValueIterator<String, Sample> it = samples.range(StoreKeys.timed(key, 0), StoreKeys.timed(key, boundary - 1))) {
            it.forEachRemaining(due::add);
        }
        final int[] seq = {0};
        int done = 0;
        for (; done < due.size(); done++) {
            final long t = StoreKeys.timeOf(due.get(done).key);
            final long duration;
            if (done + 1 < due.size()) {
                duration = Math.min(StoreKeys.timeOf(due.get(done + 1).key) - t, maxGapMs);
            } else if (t + maxGapMs <= boundary) {
                // No successor before the boundary, and none can arrive any more that would end it sooner.
                duration = maxGapMs;
            } else {
                break;
            }
            add(key, s, t, due.get(done).value, duration, limits, events, seq);
            samples.delete(due.get(done).key);
        }
        // The shift is over once the boundary passed its end and no reading of it is still waiting for its duration.
        final boolean oldShiftWaiting = done < due.size() && StoreKeys.timeOf(due.get(done).key) < s.shiftEnd;
        if (s.shiftEnd >= 0 && boundary >= s.shiftEnd && !oldShiftWaiting) {
            reset(key, s, s.shiftEnd, events, seq);
            s.shiftStart = -1;
            s.shiftEnd = -1;
        }
        final long firstPending = firstPendingTime(key);
        if (firstPending < 0 && s.shiftEnd < 0) {
            series.delete(key);
            return Long.MAX_VALUE;
        }
        series.put(key, s);
        long next = Long.MAX_VALUE;
        if (firstPending >= 0) {
            next = Math.max(boundary + stepMs(), floor(firstPending) + stepMs());
        }
        if (s.shiftEnd >= 0) {
            next = Math.min(next, Math.max(boundary + stepMs(), floor(s.shiftEnd + stepMs() - 1)));
        }
        return next;
    }

    /** Adds one reading of known duration to the dose, splitting it at a shift boundary. */
    private void add(final String key, final Series s, final long t, final Sample sample, final long duration,
            final Limits limits, final List<Event> events, final int[] seq) {
        final double dba = sample.value();
        if (sample.sensorId() != null) {
            s.sensorId = sample.sensorId();
        }
        long from = t;
        final long end = t + duration;
        while (from < end) {
            if (s.shiftEnd < 0 || from >= s.shiftEnd) {
                if (s.shiftEnd >= 0) {
                    reset(key, s, s.shiftEnd, events, seq);
                }
                final long[] shift = limits.shiftOf(from);
                s.shiftStart = shift[0];
                s.shiftEnd = shift[1];
            }
            final long to = Math.min(end, s.shiftEnd);
            final double increment = limits.doseIncrement(dba, to - from);
            final double before = s.dose;
            s.dose += increment;
            for (final DoseLevel level : limits.levels()) {
                if (level.enabled() && !s.episodes.containsKey(level.id()) && reaches(s.dose, level.dose())) {
                    final double fraction = increment > 0 ? Math.max(0, (level.dose() - before) / increment) : 0;
                    final double crossing = from + Math.min(1, fraction) * (to - from);
                    final Episode ep = new Episode(Math.max(t, s.shiftStart), level.priority(), level.dose(),
                            level.limitSource(), sample.zone(), s.workerId, !s.isWorker());
                    s.episodes.put(level.id(), ep);
                    events.add(new Event(t, key, seq[0]++, AlertState.RAISED, s, level.id(), ep, s.dose, crossing,
                            s.sensorId, dba));
                }
            }
            from = to;
        }
    }

    /** A new shift: the dose restarts, open episodes clear at the shift boundary. */
    private void reset(final String key, final Series s, final long at, final List<Event> events, final int[] seq) {
        for (final var e : s.episodes.entrySet()) {
            events.add(new Event(at, key, seq[0]++, AlertState.CLEARED, s, e.getKey(), e.getValue(), s.dose, at,
                    s.sensorId, Double.NaN));
        }
        s.episodes.clear();
        s.dose = 0;
    }

    static boolean reaches(final double dose, final double level) {
        return dose >= level * (1 - 1e-9);
    }

    private Alert workerAlert(final Event e, final Limits limits, final long now) {
        final Series s = e.series();
        final Episode ep = e.episode();
        return alert(e, s.projectId, s.workerId, e.levelId(), ep.start, ep.priority, ep.limit, ep.limitSource, now)
                .setZone(ep.zone)
                .setWorkerId(s.workerId)
                .setMessage("Worker " + s.workerId + ": "
                        + (e.state() == AlertState.RAISED ? raisedText(e, limits) : clearedText(e)))
                .build();
    }

    private void zoneEvent(final String projectId, final Event e, final Limits limits, final long now, final List<Alert> out) {
        final String zoneName = e.episode().zone;
        final String key = StoreKeys.of(projectId, zoneName, e.levelId());
        ZoneEpisode z = zones.get(key);
        if (z == null) {
            z = new ZoneEpisode();
            z.zone = zoneName;
            z.rule = e.levelId();
        }
        final String meter = e.series().sensorId;
        final String subject = Alerts.zoneSubject(zoneName);
        final String rule = e.levelId() + ".zone";
        if (e.state() == AlertState.RAISED) {
            if (!z.isOpen()) {
                final Episode ep = e.episode();
                z.open(ep.start, ep.priority, ep.limit, ep.limitSource);
                out.add(alert(e, projectId, subject, rule, z.start, z.priority, z.limit, z.limitSource, now)
                        .setZone(zoneName)
                        .setMessage("Zone " + zoneName + ": meter " + meter + " " + raisedText(e, limits))
                        .build());
            }
            z.members.add(meter);
        } else if (z.isOpen()) {
            z.members.remove(meter);
            if (z.members.isEmpty()) {
                out.add(alert(e, projectId, subject, rule, z.start, z.priority, z.limit, z.limitSource, now)
                        .setZone(zoneName)
                        .setMessage("Zone " + zoneName + ": " + clearedText(e))
                        .build());
                z.close();
            }
        }
        zones.put(key, z);
    }

    private static Alert.Builder alert(final Event e, final String projectId, final String subject, final String rule,
            final long start, final io.sitewire.events.Priority priority, final double limit, final String limitSource,
            final long now) {
        return Alerts.builder(AlertType.NOISE_DOSE, priority, e.state(), projectId, subject, METRIC + "." + e.level(),
                start, METRIC, e.dose(), limit, rule, limitSource, e.time(), now);
    }

    private static String raisedText(final Event e, final Limits limits) {
        return String.format(Locale.ROOT, "noise dose %.1f %% reached the %s level of %s %% (about %.1f dBA 8-h TWA, %s)"
                        + " at %s; triggering reading %.1f dBA at %s from meter %s",
                e.dose(), e.level(), trim(e.episode().limit), limits.equivalentLevel(e.dose()), limits.standard(),
                Instant.ofEpochMilli(Math.round(e.crossingTime())), e.dba(), Instant.ofEpochMilli(e.time()), e.sensorId());
    }

    private static String clearedText(final Event e) {
        return String.format(Locale.ROOT, "noise dose restarts with the shift beginning %s (the shift ended at %.1f %%)",
                Instant.ofEpochMilli(e.time()), e.dose());
    }

    private static String trim(final double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private long firstPendingTime(final String key) {
        try (KeyValueIterator<String, Sample> it = samples.range(StoreKeys.timed(key, 0), StoreKeys.timed(key, StoreKeys.MAX_TIME))) {
            return it.hasNext() ? StoreKeys.timeOf(it.next().key) : -1;
        }
    }

    private List<String> keys(final String prefix) {
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Series> it = series.prefixScan(prefix, Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
