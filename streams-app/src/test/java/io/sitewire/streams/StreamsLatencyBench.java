package io.sitewire.streams;

import static io.sitewire.streams.BenchFigures.awaitRunning;
import static io.sitewire.streams.BenchFigures.loadAverage;
import static io.sitewire.streams.BenchFigures.pct;
import static io.sitewire.streams.BenchFigures.threadMetrics;
import static io.sitewire.streams.Events.alarm;
import static io.sitewire.streams.Events.machine;
import static io.sitewire.streams.Events.position;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Alert;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WorkerState;
import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.proximity.GeoMath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Input-to-alert latency and throughput of the streams app on a real (embedded) broker and registry, exactly-once,
 * read_committed consumers. Not a test: run it and read the numbers.
 *
 * <pre>
 * ./mvnw -B -pl streams-app -am -Pbench -DskipTests verify \
 *     -Dbench.seconds=60 -Dbench.alarmsPerSecond=20 -Dbench.positionsPerSecond=200 -Dbench.readingsPerSecond=1000
 * </pre>
 *
 * Load during the measured phase: {@code positionsPerSecond} worker positions (workers away from machines, 1 Hz each),
 * {@code readingsPerSecond} bulk sensor readings, {@code alarmsPerSecond} wearable FALL alarms (emergency path) and a
 * probe worker stepping into and out of a moving crane's radius 4 times a second (proximity EMERGENCY, site path).
 * Latency = time from the producer's send() call to the alert's arrival at a read_committed consumer, per alert.
 * Then a throughput phase: {@code bench.burst} positions sent as fast as possible; rate = positions / time until the
 * last resulting worker-state record is read (read_committed).
 */
public final class StreamsLatencyBench {

    private static final String P = "bench-site";
    private static final double LAT0 = 51.5;
    private static final double LNG0 = -0.12;

    private StreamsLatencyBench() {
    }

    public static void main(final String[] args) throws Exception {
        AvroTrust.install();
        final int seconds = Integer.getInteger("bench.seconds", 60);
        final int warmup = Integer.getInteger("bench.warmup", 10);
        final int alarmsPerSecond = Integer.getInteger("bench.alarmsPerSecond", 20);
        final int positionsPerSecond = Integer.getInteger("bench.positionsPerSecond", 200);
        final int readingsPerSecond = Integer.getInteger("bench.readingsPerSecond", 1000);
        final int burst = Integer.getInteger("bench.burst", 50_000);
        final String separate = System.getProperty("bench.separate", "true");
        final String commit = System.getProperty("bench.commit", "50");
        final String emergencyCommit = System.getProperty("bench.emergencyCommit", "0");
        final String emergencyGuarantee = System.getProperty("bench.emergencyGuarantee", "exactly_once_v2");
        final String threads = System.getProperty("bench.threads", "1");
        projects = Integer.getInteger("bench.projects", 1);

        final long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.startSingleNode();
             ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.Options.defaults())) {
            final String run = "bench" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            final TopicCatalogue catalogue = TopicCatalogue.withPrefix(run);
            final Path state = Files.createTempDirectory("sitewire-bench-state");
            try (StackClients clients = new StackClients(kafka.bootstrapServers(), registry.ccompatUrl(), catalogue);
                 StackClients urgent = new StackClients(kafka.bootstrapServers(), registry.ccompatUrl(), catalogue)) {
                clients.provision();
                final StreamsAppConfig config = StreamsAppConfig.of(Map.of(
                        StreamsAppConfig.APPLICATION_ID, run,
                        StreamsAppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                        StreamsAppConfig.SCHEMA_REGISTRY_URL, registry.ccompatUrl(),
                        StreamsAppConfig.TOPIC_PREFIX, run,
                        StreamsAppConfig.STATE_DIR, state.toString(),
                        StreamsAppConfig.EMERGENCY_SEPARATE_INSTANCE, separate,
                        StreamsAppConfig.COMMIT_INTERVAL_MS, commit,
                        StreamsAppConfig.EMERGENCY_COMMIT_INTERVAL_MS, emergencyCommit,
                        StreamsAppConfig.EMERGENCY_PROCESSING_GUARANTEE, emergencyGuarantee,
                        StreamsAppConfig.NUM_STREAM_THREADS, threads));
                try (StreamsApp app = new StreamsApp(config, clients.registry)) {
                    app.start();
                    awaitRunning(app);
                    System.out.printf(Locale.ROOT, "stack + app ready in %.1f s (separate emergency instance %s, commit %s ms,"
                            + " emergency commit %s ms, emergency guarantee %s, site threads %s, bulk projects %d;"
                            + " load average %s)%n",
                            (System.nanoTime() - started) / 1e9, separate, commit, emergencyCommit, emergencyGuarantee,
                            threads, projects, loadAverage());
                    latency(clients, urgent, run, seconds, warmup, alarmsPerSecond, positionsPerSecond, readingsPerSecond);
                    threadMetrics(app);
                    throughput(clients, catalogue, run, burst);
                }
            }
        }
        System.exit(0);
    }

    private static double[] at(final double northM, final double eastM) {
        return GeoMath.offset(LAT0, LNG0, northM, eastM);
    }

    /**
     * Bulk traffic (positions, readings) and urgent traffic (alarms, the probe) use separate producers, as gateways
     * should: an alarm must not queue behind a producer's bulk batches.
     */
    private static void latency(final StackClients clients, final StackClients urgent, final String run,
            final int seconds, final int warmup, final int alarmsPerSecond, final int positionsPerSecond,
            final int readingsPerSecond) throws Exception {
        // 50 machines on a 500 m square north of the workers' area; one moving probe crane in the middle of nowhere
        final Random random = new Random(42);
        for (int m = 0; m < 50; m++) {
            clients.send(machine(P, "m" + m, at(1_000 + random.nextDouble() * 500, random.nextDouble() * 500),
                    10 + random.nextDouble() * 40, EquipmentState.OPERATIONAL, false, System.currentTimeMillis()));
        }
        final double[] probeCrane = at(-2_000, -2_000);
        clients.send(machine(P, "crane-probe", probeCrane, 30, EquipmentState.OPERATIONAL, true, System.currentTimeMillis()));

        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final List<long[]> emergencyPath = Collections.synchronizedList(new ArrayList<>());
        final List<long[]> sitePath = Collections.synchronizedList(new ArrayList<>());
        final List<Long> acks = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean measuring = new AtomicBoolean(false);
        final AtomicBoolean done = new AtomicBoolean(false);
        final Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, SpecificRecord> consumer = clients.committedReader(run + "-latency", clients.alertTopics())) {
                while (!done.get()) {
                    for (final ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(50))) {
                        final long now = System.nanoTime();
                        final Alert a = (Alert) r.value();
                        final Long sent = sentAt.remove(a.getAlertId() + "/" + a.getState());
                        if (sent == null || !measuring.get()) {
                            continue;
                        }
                        // {end-to-end micros, produced-minus-source ms (processing), }
                        final long[] sample = {(now - sent) / 1_000, a.getRaisedAt() - a.getSourceTime()};
                        (a.getType().name().equals("PROXIMITY") ? sitePath : emergencyPath).add(sample);
                    }
                }
            }
        }, "bench-reader");
        reader.start();

        // Both paths must actually flow before the clock starts: RUNNING does not mean every task has opened its stores,
        // and the machines (repartitioned) must have reached the site task. One alarm, one probe step in and out.
        final long readyBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        final long readyAlarmTime = System.currentTimeMillis();
        sentAt.put("FALL:" + P + ":w0:tag-ready:" + readyAlarmTime + "/RAISED", System.nanoTime());
        urgent.sendAsync(alarm(P, "w0", "tag-ready", AlarmKind.FALL, null, readyAlarmTime), () -> { });
        long probeIn = System.currentTimeMillis();
        sentAt.put("PROXIMITY:" + P + ":probe:crane-probe:" + probeIn + "/RAISED", System.nanoTime());
        urgent.sendAsync(position(P, "probe", GeoMath.offset(probeCrane[0], probeCrane[1], 0, 10), "yard", probeIn), () -> { });
        long stepAgainAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sentAt.isEmpty()) {
            if (System.nanoTime() > readyBy) {
                throw new IllegalStateException("paths not flowing after 3 min: " + sentAt.keySet());
            }
            TimeUnit.MILLISECONDS.sleep(20);
            if (System.nanoTime() > stepAgainAt && sentAt.keySet().stream().allMatch(k -> k.startsWith("PROXIMITY"))) {
                // the crane may have reached the site task after the probe's step: step out and in again
                sentAt.clear();
                urgent.sendAsync(position(P, "probe", GeoMath.offset(probeCrane[0], probeCrane[1], 0, 100), "yard",
                        System.currentTimeMillis()), () -> { });
                probeIn = System.currentTimeMillis() + 1;
                sentAt.put("PROXIMITY:" + P + ":probe:crane-probe:" + probeIn + "/RAISED", System.nanoTime());
                urgent.sendAsync(position(P, "probe", GeoMath.offset(probeCrane[0], probeCrane[1], 0, 10), "yard", probeIn),
                        () -> { });
                stepAgainAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            }
        }
        sentAt.put("PROXIMITY:" + P + ":probe:crane-probe:" + probeIn + "/CLEARED", System.nanoTime());
        urgent.sendAsync(position(P, "probe", GeoMath.offset(probeCrane[0], probeCrane[1], 0, 100), "yard",
                System.currentTimeMillis()), () -> { });
        while (!sentAt.isEmpty() && System.nanoTime() < readyBy) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        System.out.printf(Locale.ROOT, "both paths flowing %.1f s after RUNNING%n",
                (System.nanoTime() - (readyBy - TimeUnit.MINUTES.toNanos(3))) / 1e9);

        final int ticksPerSecond = 100;
        final long tickNanos = TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
        final int workers = Math.max(1, positionsPerSecond);
        long sentRecords = 0;
        long tick = 0;
        int alarmSeq = 0;
        final long begin = System.nanoTime();
        final long measureFrom = begin + TimeUnit.SECONDS.toNanos(warmup);
        final long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long measuredSent = 0;
        boolean probeInside = false; // it was stepped out by the readiness check
        while (System.nanoTime() < end) {
            final long due = begin + tick * tickNanos;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            if (!measuring.get() && System.nanoTime() >= measureFrom) {
                measuring.set(true);
            }
            final long now = System.currentTimeMillis();
            int sentThisTick = 0;
            // worker positions: positionsPerSecond spread over the ticks, round-robin over the workers
            for (long i = tick * positionsPerSecond / ticksPerSecond; i < (tick + 1) * positionsPerSecond / ticksPerSecond; i++) {
                final int w = (int) (i % workers);
                clients.sendAsync(position(bulkProject(w), "w" + w, at(-(w % 20) * 10.0, (w / 20) * 10.0 + (i % 7)), "yard", now));
                sentThisTick++;
            }
            for (long i = tick * readingsPerSecond / ticksPerSecond; i < (tick + 1) * readingsPerSecond / ticksPerSecond; i++) {
                clients.sendAsync(new SensorReading(bulkProject(i % 100), "s" + (i % 100), "zone-" + (i % 10), Metric.pm10_ugm3,
                        20.0 + (i % 13), null, now));
                sentThisTick++;
            }
            for (long i = tick * alarmsPerSecond / ticksPerSecond; i < (tick + 1) * alarmsPerSecond / ticksPerSecond; i++) {
                final int seq = alarmSeq++;
                final long eventTime = System.currentTimeMillis();
                final String worker = "w" + (seq % workers);
                final String id = "FALL:" + P + ":" + worker + ":tag-" + seq + ":" + eventTime + "/RAISED";
                final long sendNanos = System.nanoTime();
                sentAt.put(id, sendNanos);
                final boolean measured = measuring.get();
                urgent.sendAsync(alarm(P, worker, "tag-" + seq, AlarmKind.FALL, null, eventTime), () -> {
                    if (measured) {
                        acks.add((System.nanoTime() - sendNanos) / 1_000);
                    }
                });
                sentThisTick++;
            }
            if (tick % (ticksPerSecond / 4) == 0) {
                final long eventTime = System.currentTimeMillis();
                probeInside = !probeInside;
                // stepping in opens an episode with this event time; stepping out clears the one opened before
                if (probeInside) {
                    sentAt.put("PROXIMITY:" + P + ":probe:crane-probe:" + eventTime + "/RAISED", System.nanoTime());
                    lastProbeStart = eventTime;
                } else {
                    sentAt.put("PROXIMITY:" + P + ":probe:crane-probe:" + lastProbeStart + "/CLEARED", System.nanoTime());
                }
                urgent.sendAsync(position(P, "probe", probeInside ? GeoMath.offset(probeCrane[0], probeCrane[1], 0, 10)
                        : GeoMath.offset(probeCrane[0], probeCrane[1], 0, 100), "yard", eventTime));
                sentThisTick++;
            }
            sentRecords += sentThisTick;
            if (measuring.get()) {
                measuredSent += sentThisTick;
            }
            tick++;
        }
        clients.flush();
        urgent.flush();
        final long stopWaiting = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!sentAt.isEmpty() && System.nanoTime() < stopWaiting) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        done.set(true);
        reader.join();
        System.out.printf(Locale.ROOT, "input: %d records in %d s warm-up + %d s measured = %.0f records/s"
                        + " (%d positions/s, %d readings/s, %d alarms/s, 4 probe steps/s); unmatched at end: %d%n",
                sentRecords, warmup, seconds, measuredSent / (double) seconds, positionsPerSecond, readingsPerSecond,
                alarmsPerSecond, sentAt.size());
        final long[] ackMicros = acks.stream().mapToLong(Long::longValue).sorted().toArray();
        if (ackMicros.length > 0) {
            System.out.printf(Locale.ROOT, "alarm producer send -> broker ack: p50 %.1f ms, p99 %.1f ms%n",
                    pct(ackMicros, 50) / 1e3, pct(ackMicros, 99) / 1e3);
        }
        report("wearable FALL -> EMERGENCY alert (emergency path)", emergencyPath);
        report("position -> PROXIMITY EMERGENCY raise/clear (site path)", sitePath);
        System.out.println("load average after the latency phase: " + loadAverage());
    }

    private static long lastProbeStart;
    /** Bulk traffic (positions, readings) is spread over this many projects, so over that many partitions at most. */
    private static int projects = 1;

    private static String bulkProject(final long index) {
        return projects == 1 ? P : P + "-" + index % projects;
    }

    private static void report(final String what, final List<long[]> samples) {
        if (samples.isEmpty()) {
            System.out.println(what + ": no samples");
            return;
        }
        final List<long[]> ordered = new ArrayList<>(samples);
        final long[] lastThird = ordered.subList(ordered.size() * 2 / 3, ordered.size()).stream()
                .mapToLong(s -> s[0]).sorted().toArray();
        final long[] firstThird = ordered.subList(0, Math.max(1, ordered.size() / 3)).stream()
                .mapToLong(s -> s[0]).sorted().toArray();
        final long[] e2e = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        final long[] processing = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: n=%d  end-to-end p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + "  send->produced (raisedAt-sourceTime) p50 %d ms, p99 %d ms%n",
                what, e2e.length, pct(e2e, 50) / 1e3, pct(e2e, 90) / 1e3, pct(e2e, 99) / 1e3, e2e[e2e.length - 1] / 1e3,
                pct(processing, 50), pct(processing, 99));
        // A backlog shows as a last third much slower than the first: the input rate is above what the path sustains
        System.out.printf(Locale.ROOT, "    first third p50 %.1f ms, last third p50 %.1f ms (growing = backlog)%n",
                pct(firstThird, 50) / 1e3, pct(lastThird, 50) / 1e3);
    }

    private static void throughput(final StackClients clients, final TopicCatalogue catalogue, final String run,
            final int burst) {
        final String project = "burst-site";
        try (KafkaConsumer<String, SpecificRecord> consumer = clients.committedReader(run + "-burst",
                List.of(catalogue.workerState()))) {
            // Be assigned and at the end of the topic before the burst starts
            consumer.poll(Duration.ofMillis(500));
            final long t0 = System.nanoTime();
            final long base = System.currentTimeMillis();
            for (int i = 0; i < burst; i++) {
                clients.sendAsync(position(project, "b" + (i % 1_000), at(-5_000 - (i % 50), -5_000), "burst", base + i / 1_000));
            }
            clients.flush();
            final long sent = System.nanoTime();
            int seen = 0;
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (seen < burst && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() instanceof WorkerState s && s.getProjectId().equals(project)) {
                        seen++;
                    }
                }
            }
            final long doneAt = System.nanoTime();
            System.out.printf(Locale.ROOT, "throughput: %d positions sent in %.2f s (%.0f/s); %d worker states read "
                            + "(read_committed) after %.2f s: %.0f positions/s through the site instance (exactly-once)%n",
                    burst, (sent - t0) / 1e9, burst / ((sent - t0) / 1e9), seen, (doneAt - t0) / 1e9,
                    seen / ((doneAt - t0) / 1e9));
        }
    }
}
