package io.sitewire.bench;

import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.simulator.EventSink;
import io.sitewire.simulator.KafkaEventSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;

/**
 * The scenarios at one client count, against one fleet of clients all in {@code project:bench}. Every wait is
 * bounded by the options' deadline; a scenario that runs out of time reports what it got ({@code complete=false}).
 */
final class Scenarios {

    static final String PROJECT = "bench";
    static final String E2E_PROJECT = "bench-e2e";
    static final String INGEST_PROJECT = "bench-ingest";

    private final BenchOptions o;
    private final Stack stack;
    private final Tally tally;
    private final AlertSource alerts;
    private final Progress progress;
    private final int n;
    /** How long a fleet may take to close when the run is cut short (Ctrl-C): its clients are then dropped. */
    private static final Duration FLEET_STOP_ON_EXIT = Duration.ofSeconds(5);
    private static final Duration JCMD_LIMIT = Duration.ofSeconds(30);

    private Fleet fleet;
    private AutoCloseable fleetStop;
    private long idleBaseline = -1;

    Scenarios(final BenchOptions o, final Stack stack, final Tally tally, final AlertSource alerts,
              final Progress progress, final int n) {
        this.o = o;
        this.stack = stack;
        this.tally = tally;
        this.alerts = alerts;
        this.progress = progress;
        this.n = n;
    }

    Fleet fleet() {
        return fleet;
    }

    static String token(final String secret, final List<String> projects, final String role) {
        return TestTokens.hs256(secret, "bench-" + role, projects, List.of(role), List.of(), Duration.ofHours(12));
    }

    Result run(final Scenario s) throws Exception {
        progress.line(String.format(Locale.ROOT, "== %s, %,d clients", s.label, n));
        final Result r = switch (s) {
            case SHIFT_START -> shiftStart();
            case STEADY -> steady();
            case FLOOD -> flood(false);
            case EMERGENCY -> flood(true);
            case RECONNECT_STORM -> reconnectStorm();
            case END_TO_END -> endToEnd();
            case INGEST -> ingest();
            case IDLE_HEAP -> idleHeap();
        };
        progress.quiet();
        progress.line("   " + r.figures);
        return r;
    }

    /** The fleet, connected: a scenario run on its own connects it first (the shift start does it measured). */
    private void ensureFleet() throws Exception {
        if (fleet == null) {
            shiftStart();
        }
    }

    private Result shiftStart() throws Exception {
        final Result r = new Result(Scenario.SHIFT_START.label, n);
        if (fleet != null) {
            return r.put("skipped", "the fleet is already connected");
        }
        final GatewayProcess gw = stack.gateway();
        if (gw != null) {
            idleBaseline = liveHeap(gw);
        }
        fleet = newFleet(List.of(PROJECT));
        final Fleet f = fleet;
        fleetStop = () -> f.close(FLEET_STOP_ON_EXIT);
        stack.stopFirst("clients", fleetStop, Duration.ofSeconds(30));
        final long t0 = System.nanoTime();
        final List<BenchClient> members = fleet.add(n, "project:" + PROJECT, null);
        progress.every2s("shift-start", () -> "subscribed " + fleet.subscribedCount() + "/" + n
                + ", failed connects " + fleet.failedConnects());
        final boolean all = await(() -> fleet.subscribedCount() >= n);
        final long last = members.stream().mapToLong(BenchClient::subscribedNanos).max().orElse(t0);
        final double seconds = all ? (last - t0) / 1e9 : Double.NaN;
        r.put("complete", all).put("subscribed", fleet.subscribedCount()).put("seconds_to_all_subscribed", round(seconds))
                .put("failed_connects", fleet.failedConnects()).put("handshake_window", o.handshakeWindow());
        if (all && n == 10_000) {
            r.goal("10,000 clients subscribed within 3 s", seconds, 3, false);
        }
        return r;
    }

    private Result idleHeap() throws Exception {
        ensureFleet();
        final Result r = new Result(Scenario.IDLE_HEAP.label, n);
        final GatewayProcess gw = stack.gateway();
        if (gw == null || idleBaseline < 0) {
            return r.put("skipped", "needs the bench-started gateway and its 0-client heap figure");
        }
        // connections still handshaking hold heap too: measure once the whole fleet is in (bounded)
        final boolean all = await(() -> fleet.subscribedCount() >= n);
        final long after = liveHeap(gw);
        r.put("complete", all && after >= 0).put("subscribed", fleet.subscribedCount());
        if (after < 0) {
            return r.put("heap_after_gc_n_clients_mb", null);
        }
        final double perConnection = (after - idleBaseline) / 1024.0 / Math.max(1, fleet.subscribedCount());
        r.put("heap_after_gc_0_clients_mb", round(idleBaseline / 1e6)).put("heap_after_gc_n_clients_mb", round(after / 1e6))
                .put("kb_per_idle_connection", round(perConnection)).put("gateway_rss_mb", round(gw.rss() / 1e6));
        r.goal("≤ 20 KB heap per idle connection", perConnection, 20, false);
        return r;
    }

    private Result steady() throws Exception {
        ensureFleet();
        final Result r = new Result(Scenario.STEADY.label, n);
        tally.takeLatency("steady");
        final long base = tally.deliveries("steady"); // the tally spans every client count of the run
        final long endAt = System.nanoTime() + o.seconds().toNanos();
        progress.every2s("steady", () -> "deliveries " + (tally.deliveries("steady") - base));
        final int sent = alerts.paced("steady", Priority.HIGH, o.steadyRate(), () -> System.nanoTime() > endAt);
        alerts.flush(o.deadline());
        final boolean all = await(() -> tally.deliveries("steady") - base >= (long) sent * fleet.subscribedCount());
        latency(r, tally.takeLatency("steady"));
        return r.put("complete", all).put("alerts_per_second", o.steadyRate()).put("alerts", sent)
                .put("deliveries", tally.deliveries("steady") - base);
    }

    /** A burst of NORMAL alerts to the room every client is in; with {@code emergency}, one EMERGENCY in the middle. */
    private Result flood(final boolean emergency) throws Exception {
        ensureFleet();
        final String tag = emergency ? "flood-e" : "flood";
        final Result r = new Result(emergency ? Scenario.EMERGENCY.label : Scenario.FLOOD.label, n);
        final int clients = fleet.subscribedCount();
        final int events = (int) Math.min(10_000, Math.max(10, o.floodDeliveries() / Math.max(1, n)));
        tally.takeLatency(tag);
        final long base = tally.deliveries(tag);
        final GatewayProcess gw = stack.gateway();
        final AtomicLong peakHeap = new AtomicLong(-1);
        final AtomicLong peakRss = new AtomicLong(-1);
        final AtomicBoolean sampling = new AtomicBoolean(gw != null);
        final Thread sampler = new Thread(() -> {
            try {
                while (sampling.get()) {
                    peakHeap.accumulateAndGet(gw.heapUsed(Duration.ofSeconds(5)), Math::max);
                    peakRss.accumulateAndGet(gw.rss(), Math::max);
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        final long[] target = {(long) events * clients};
        progress.every2s(r.scenario, () -> String.format(Locale.ROOT, "deliveries %,d/%,d, gateway heap %.0f MB",
                tally.deliveries(tag) - base, target[0], peakHeap.get() / 1e6));
        final long t0 = System.nanoTime();
        final long sendBy = t0 + o.deadline().toNanos();
        long emergencyAt = 0;
        int sent = 0;
        final boolean all;
        final long end;
        try {
            // a send blocks only while the producer's window is full; a broker that slow ends the burst at the deadline
            while (sent < events && System.nanoTime() < sendBy) {
                alerts.send(tag, Priority.NORMAL);
                sent++;
                if (emergency && sent == events / 4 + 1) {
                    // wait (bounded) until the flood is really queued at the gateway, so the emergency overtakes a backlog
                    Waits.until(() -> tally.deliveries(tag) - base >= target[0] / 10,
                            Waits.min(Duration.ofSeconds(10), o.deadline()));
                    emergencyAt = System.nanoTime();
                    alerts.send("emergency", Priority.EMERGENCY);
                }
            }
            target[0] = (long) sent * clients;
            alerts.flush(o.deadline());
            all = sent == events && await(() -> tally.deliveries(tag) - base >= target[0]);
            end = System.nanoTime();
        } finally {
            sampling.set(false);
            Waits.join(sampler, Duration.ofSeconds(10));
        }
        final double seconds = (end - t0) / 1e9;
        final long got = tally.deliveries(tag) - base;
        r.put("complete", all).put("events", events).put("events_sent", sent).put("clients", clients).put("deliveries", got)
                .put("seconds", round(seconds)).put("deliveries_per_second", Math.round(got / seconds))
                .put("gateway_heap_peak_mb", round(peakHeap.get() / 1e6)).put("gateway_rss_peak_mb", round(peakRss.get() / 1e6))
                .put("unexpected_closes_so_far", tally.unexpectedCloses.sum());
        latency(r, tally.takeLatency(tag));
        if (emergency && emergencyAt == 0) {
            r.put("emergency_clients_reached", 0L).put("emergency_ms_to_last_client", null);
            r.note = "the burst did not reach its emergency point before the deadline: no emergency was sent";
        } else if (emergency) {
            final long sentAt = emergencyAt;
            final boolean everyone = await(() -> fleet.members().stream().filter(BenchClient::subscribed)
                    .allMatch(c -> c.emergencyNanos() >= sentAt));
            final long last = fleet.members().stream().mapToLong(BenchClient::emergencyNanos).max().orElse(sentAt);
            final long have = fleet.members().stream().filter(c -> c.emergencyNanos() >= sentAt).count();
            final double ms = (last - sentAt) / 1e6;
            r.put("emergency_clients_reached", have).put("emergency_ms_to_last_client", everyone ? round(ms) : Double.NaN);
            if (everyone && n == 10_000) {
                r.goal("emergency reaches the last of 10,000 clients within 100 ms", ms, 100, false);
            }
            tally.takeLatency("emergency");
        } else if (all && n == 1_000) {
            r.goal("≥ 300,000 deliveries/s at 1,000 clients", got / seconds, 300_000, true);
        }
        return r;
    }

    /**
     * Every tenth client closes; alerts flow at the steady rate for the cut; they come back with their cursors. Each
     * wait is bounded by the deadline, the catch-up by the deadline plus the cut; the producer thread stops whatever
     * happens. Missed frames are only known once every client has caught up: until then a frame not received may
     * still be queued at the gateway, so an unfinished catch-up reports {@code missed} as null with what was not
     * received, and, of that, what is certainly lost (a later frame of its partition arrived first).
     */
    private Result reconnectStorm() throws Exception {
        ensureFleet();
        final Result r = new Result(Scenario.RECONNECT_STORM.label, n);
        final List<BenchClient> cut = new ArrayList<>();
        for (final BenchClient c : fleet.members()) {
            if (c.index % 10 == 0) {
                cut.add(c);
            }
        }
        tally.takeLatency("storm");
        final AtomicBoolean flowing = new AtomicBoolean(true);
        final Thread producer = new Thread(() -> {
            try {
                alerts.paced("storm", Priority.HIGH, o.steadyRate(), () -> !flowing.get());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-storm-producer");
        producer.setDaemon(true);
        final int dropped = fleet.disconnect(cut, o.deadline());
        progress.line(String.format(Locale.ROOT, "   %,d clients cut for %d s while %.0f alerts/s flow%s", cut.size(),
                o.cut().toSeconds(), o.steadyRate(), dropped > 0 ? " (" + dropped + " closes dropped at the deadline)" : ""));
        final int firstSeq = alerts.nextSeq();
        final long stormBase = tally.deliveries("storm");
        final AtomicReference<Pending> catching = new AtomicReference<>();
        progress.every2s("storm", () -> {
            final Pending p = catching.get();
            return "deliveries " + (tally.deliveries("storm") - stormBase) + (p == null ? "" : ", clients behind " + p.size());
        });
        boolean caughtUp = false;
        double catchUp = Double.NaN;
        long resumeAt = Long.MAX_VALUE;
        final boolean producerStopped;
        producer.start();
        try {
            TimeUnit.MILLISECONDS.sleep(o.cut().toMillis()); // the cut itself: a scenario parameter, not a synchronisation
            alerts.flush(o.deadline());
            final Pending back = new Pending(cut, tally.producedFrom(0));
            catching.set(back);
            resumeAt = System.nanoTime();
            fleet.reconnect(cut);
            // A client away for the cut has the cut's alerts to replay on top of the live flow: its catch-up may take
            // that long beyond the usual deadline (still bounded; catch_up_seconds says what it took).
            caughtUp = Waits.until(back::done, o.deadline().plus(o.cut()));
            catchUp = (System.nanoTime() - resumeAt) / 1e9;
        } finally {
            flowing.set(false);
            producerStopped = Waits.join(producer, Duration.ofSeconds(10));
        }
        final boolean flushed = alerts.flush(o.deadline());
        // Everything acknowledged must reach every subscribed client: wait (bounded) for the tail, then count. Behind
        // an unfinished catch-up that wait would be spent on the same backlog, so it is skipped.
        final Pending tail = new Pending(fleet.members(), tally.producedFrom(0));
        catching.set(tail);
        final boolean tailDone = caughtUp && await(tail::done);
        long notReceived = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        for (final BenchClient c : fleet.members()) {
            notReceived += c.missing(tally);
            lost += c.lostBehindLaterFrames(tally);
            duplicated += c.duplicates();
            reordered += c.outOfOrder();
        }
        final long since = resumeAt;
        final long resubscribed = cut.stream().filter(c -> c.lastSubscribedNanos() >= since).count();
        final long reconnected = cut.stream().filter(BenchClient::connected).count();
        final boolean complete = caughtUp && tailDone;
        r.put("complete", complete).put("catch_up_complete", caughtUp).put("clients_cut", cut.size())
                .put("cut_clients_reconnected", reconnected).put("cut_clients_resubscribed", resubscribed)
                .put("cut_closes_dropped", dropped)
                .put("cut_seconds", o.cut().toSeconds()).put("alerts_during_storm", (long) alerts.nextSeq() - firstSeq)
                .put("catch_up_seconds", caughtUp ? round(catchUp) : Double.NaN)
                .put("clients_behind_at_check", (long) tail.size())
                .put("missed", complete ? notReceived : null).put("not_received_at_check", notReceived)
                .put("lost_behind_later_frames", lost).put("duplicated", duplicated).put("out_of_order", reordered)
                .put("subscribed", fleet.subscribedCount()).put("unexpected_closes", tally.unexpectedCloses.sum())
                .put("produce_failures", tally.produceFailures.sum());
        latency(r, tally.takeLatency("storm"));
        if (!producerStopped || !flushed) {
            r.put("producer_stopped", producerStopped).put("producer_flushed", flushed);
        }
        r.note = complete
                ? "missed / duplicated / out of order count every bench alert of this client count's run so far"
                : String.format(Locale.ROOT, "incomplete: %s within the %d s deadline, so missed is unknown (null): "
                        + "%,d due frames had not arrived at the check (still queued at the gateway, or lost), of which "
                        + "%,d are certainly lost (a later frame of their partition arrived first); duplicated / out of "
                        + "order count what arrived", caughtUp ? "the other clients did not receive the tail"
                        : "the cut clients did not catch up", o.deadline().toSeconds(), notReceived, lost);
        return r;
    }

    /** Sensor readings that cross the CO ceiling and back, so each one raises or clears an alert. */
    private Result endToEnd() throws Exception {
        ensureFleet();
        final Result r = new Result(Scenario.END_TO_END.label, n);
        // A few observers of their own project: 2,000 alerts/s to every client of the fleet would measure fan-out,
        // not the path from sensor to client; the fleet stays connected and idle meanwhile.
        final Fleet watchers = newFleet(List.of(E2E_PROJECT));
        final AutoCloseable watchersStop = () -> watchers.close(FLEET_STOP_ON_EXIT);
        stack.stopFirst("end-to-end observers", watchersStop, Duration.ofSeconds(30));
        try (EventSink sink = new KafkaEventSink(stack.bootstrapServers(), stack.registryUrl(), stack.catalogue(),
                AlertSource.boundedProducer(o.deadline()))) {
            final long e2eBase = tally.deliveries("e2e");
            watchers.add(o.e2eObservers(), "project:" + E2E_PROJECT, "e2e");
            await(() -> watchers.subscribedCount() >= o.e2eObservers());
            final int sensors = Math.max(1, Math.min(200, o.e2eRate() / 10));
            final long[] lastTime = new long[sensors];
            final boolean[] high = new boolean[sensors];
            final LongAdder acked = new LongAdder();
            final EventSink.Delivery delivery = new EventSink.Delivery() {
                @Override
                public void delivered(final SpecificRecord event) {
                    acked.increment();
                }

                @Override
                public void failed(final SpecificRecord event, final Exception error) {
                    tally.produceFailures.increment();
                }
            };
            final long warmEnd = System.nanoTime() + Math.min(5_000, o.seconds().toMillis()) * 1_000_000L;
            final long endAt = warmEnd + o.seconds().toNanos();
            // The whole window's figures count the backlog a cold streams app leaves in its first seconds; the second
            // half's say where the path settles once that is worked off (both reported, the goal judged on the whole).
            final long halfAt = warmEnd + o.seconds().toNanos() / 2;
            Histogram firstHalf = null;
            progress.every2s("end-to-end", () -> "readings acked " + acked.sum() + ", alerts at observers " + (tally.deliveries("e2e") - e2eBase));
            final long begin = System.nanoTime();
            long sent = 0;
            boolean warm = true;
            while (System.nanoTime() < endAt) {
                if (warm && System.nanoTime() > warmEnd) {
                    warm = false;
                    tally.takeLatency("e2e");
                }
                if (!warm && firstHalf == null && System.nanoTime() > halfAt) {
                    firstHalf = tally.takeLatency("e2e");
                }
                final long due = (long) ((System.nanoTime() - begin) / 1e9 * o.e2eRate()) + 1;
                final List<SensorReading> batch = new ArrayList<>();
                final long now = System.currentTimeMillis();
                while (sent < due) {
                    final int s = (int) (sent % sensors);
                    final long t = Math.max(now, lastTime[s] + 1); // a newer reading each time: the rule ignores older ones
                    lastTime[s] = t;
                    high[s] = !high[s];
                    batch.add(new SensorReading(E2E_PROJECT, "e2e-" + s, "e2e-zone-" + s, Metric.co_ppm,
                            high[s] ? 260.0 : 20.0, null, t));
                    sent++;
                }
                sink.send(batch, delivery);
                TimeUnit.MILLISECONDS.sleep(5);
            }
            final boolean flushed = sink.flush(o.deadline());
            final long alertsSeen = tally.deliveries("e2e") - e2eBase;
            Waits.until(() -> false, Duration.ofSeconds(2)); // let the tail arrive; latency of late ones still counts
            final Histogram secondHalf = tally.takeLatency("e2e");
            final Histogram h = secondHalf.copy();
            if (firstHalf != null) {
                h.add(firstHalf);
            }
            latency(r, h);
            if (firstHalf != null && secondHalf.getTotalCount() > 0) {
                r.put("second_half_latency_p50_ms", secondHalf.getValueAtPercentile(50))
                        .put("second_half_latency_p99_ms", secondHalf.getValueAtPercentile(99));
            }
            r.put("readings_per_second", o.e2eRate()).put("readings", sent).put("readings_acked", acked.sum())
                    .put("readings_flushed", flushed).put("observers", o.e2eObservers())
                    .put("alert_frames_at_observers", tally.deliveries("e2e") - e2eBase).put("alert_frames_during_run", alertsSeen);
            if (h.getTotalCount() > 0) {
                r.goal("end-to-end p99 ≤ 50 ms", h.getValueAtPercentile(99), 50, false);
            }
        } finally {
            watchers.close(fleetCloseWait());
            stack.forget(watchersStop);
        }
        return r;
    }

    private Result ingest() throws Exception {
        ensureFleet();
        final Result r = new Result(Scenario.INGEST.label, n);
        final Duration each = o.seconds().dividedBy(2).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : o.seconds().dividedBy(2);
        // Through Kafka: one producer, as fast as the in-flight window allows
        final LongAdder acked = new LongAdder();
        try (EventSink sink = new KafkaEventSink(stack.bootstrapServers(), stack.registryUrl(), stack.catalogue(),
                AlertSource.boundedProducer(o.deadline()))) {
            final EventSink.Delivery d = new EventSink.Delivery() {
                @Override
                public void delivered(final SpecificRecord event) {
                    acked.increment();
                }

                @Override
                public void failed(final SpecificRecord event, final Exception error) {
                    tally.produceFailures.increment();
                }
            };
            progress.every2s("ingest kafka", () -> "acked " + acked.sum());
            final long t0 = System.nanoTime();
            final long endAt = t0 + each.toNanos();
            long i = 0;
            while (System.nanoTime() < endAt) {
                final List<SensorReading> batch = new ArrayList<>(500);
                for (int k = 0; k < 500; k++, i++) {
                    batch.add(new SensorReading(INGEST_PROJECT, "k-" + (i % 500), "ingest", Metric.co_ppm, 5.0, null,
                            System.currentTimeMillis()));
                }
                sink.send(batch, d);
            }
            final boolean flushed = sink.flush(o.deadline());
            final double s = (System.nanoTime() - t0) / 1e9;
            r.put("kafka_events_per_second", Math.round(acked.sum() / s)).put("kafka_events", acked.sum())
                    .put("kafka_flushed", flushed);
        }
        // Through POST /v1/events: 4 devices posting 1,000-event NDJSON bodies back to back
        final String device = token(stack.secret(), List.of(INGEST_PROJECT), "device");
        final Duration requestTimeout = Waits.min(Duration.ofSeconds(30), o.deadline());
        final StringBuilder body = new StringBuilder();
        for (int k = 0; k < 1000; k++) {
            body.append(String.format(Locale.ROOT, "{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\"%s\","
                    + "\"sensorId\":\"h-%d\",\"zone\":\"ingest\",\"metric\":\"co_ppm\",\"value\":5.0,\"eventTime\":%d}}%n",
                    INGEST_PROJECT, k % 100, System.currentTimeMillis()));
        }
        final HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayBase() + "/v1/events"))
                .header("Authorization", "Bearer " + device).header("Content-Type", "application/x-ndjson")
                .timeout(requestTimeout).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).build();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        progress.every2s("ingest http", () -> "accepted " + accepted.sum());
        final long t0 = System.nanoTime();
        final long endAt = t0 + each.toNanos();
        final List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final Thread poster = new Thread(() -> {
                while (System.nanoTime() < endAt) {
                    try {
                        final HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() == 202) {
                            accepted.add(1000);
                        } else {
                            rejected.increment();
                            tally.error("ingest " + resp.statusCode() + " " + resp.body());
                        }
                    } catch (final Exception e) {
                        rejected.increment();
                        tally.error("ingest: " + e);
                        return;
                    }
                }
            }, "bench-ingest-" + t);
            poster.setDaemon(true);
            poster.start();
            posters.add(poster);
        }
        // a poster ends at endAt, or after its last request's timeout
        boolean stopped = true;
        for (final Thread p : posters) {
            final Duration left = Duration.ofNanos(Math.max(0, endAt - System.nanoTime())).plus(requestTimeout).plusSeconds(5);
            stopped &= Waits.join(p, left);
        }
        final double s = (System.nanoTime() - t0) / 1e9;
        return r.put("complete", stopped).put("http_events_per_second", Math.round(accepted.sum() / s)).put("http_events", accepted.sum())
                .put("http_rejected_requests", rejected.sum()).put("seconds_each", each.toSeconds());
    }

    private static void latency(final Result r, final Histogram h) {
        if (h.getTotalCount() == 0) {
            r.put("latency_samples", 0);
            return;
        }
        r.put("latency_samples", h.getTotalCount()).put("latency_p50_ms", h.getValueAtPercentile(50))
                .put("latency_p99_ms", h.getValueAtPercentile(99)).put("latency_max_ms", h.getMaxValue());
    }

    private boolean await(final BooleanSupplier condition) throws InterruptedException {
        return Waits.until(condition, o.deadline());
    }

    private Fleet newFleet(final List<String> projects) {
        return new Fleet(stack.streamUri(), token(stack.secret(), projects, "manager"), tally, alerts::nextSeq,
                o.deflate(), o.flowWindow(), o.handshakeWindow());
    }

    /** How long closing a fleet at the end of a pass waits for clean closes before it drops the rest. */
    private Duration fleetCloseWait() {
        return Waits.min(Duration.ofSeconds(20), o.deadline());
    }

    /** The gateway's live heap after a full GC, or -1 (printed) when jcmd did not answer in time. */
    private long liveHeap(final GatewayProcess gw) {
        try {
            return gw.liveHeapAfterGc(Waits.min(JCMD_LIMIT, o.deadline()));
        } catch (final IOException e) {
            progress.line("   no heap figure: " + e.getMessage());
            return -1;
        }
    }

    static double round(final double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }

    void closeFleet() throws InterruptedException {
        if (fleet != null) {
            fleet.close(fleetCloseWait());
            stack.forget(fleetStop);
        }
    }
}
