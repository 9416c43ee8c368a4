package io.sitewire.streams;

import static io.sitewire.streams.BenchFigures.awaitRunning;
import static io.sitewire.streams.BenchFigures.loadAverage;
import static io.sitewire.streams.BenchFigures.pct;
import static io.sitewire.streams.BenchFigures.threadMetrics;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The gas path alone, as the benchmark suite's end-to-end scenario loads it: {@code rate} CO readings per second of
 * one project from {@code rate/10} sensors (at most 200), each reading alternately above the 200 ppm ceiling (260) and
 * back below its clear level (20), so every reading raises or clears a ceiling alert (and its zone roll-up). Latency =
 * from the producer's {@code send()} of a reading to the arrival of its sensor alert at a read_committed consumer, on a
 * real embedded broker and registry, exactly-once. Not a test: run it and read the numbers.
 *
 * <pre>
 * ./mvnw -B -pl streams-app -am -Pbench -DskipTests verify -Dbench.main=io.sitewire.streams.GasPathBench \
 *     -Dbench.readingsPerSecond=2000 -Dbench.seconds=30
 * </pre>
 *
 * Then a throughput phase: {@code bench.burst} such readings sent at once; rate = readings / time until the alert of
 * the last one is read (read_committed). {@code -Dbench.jfr=FILE} records the whole run with JDK Flight Recorder.
 */
public final class GasPathBench {

    private static final String P = "gas-bench";

    private GasPathBench() {
    }

    public static void main(final String[] args) throws Exception {
        AvroTrust.install();
        final int seconds = Integer.getInteger("bench.seconds", 30);
        final int warmup = Integer.getInteger("bench.warmup", 10);
        final int rate = Integer.getInteger("bench.readingsPerSecond", 2_000);
        final int burst = Integer.getInteger("bench.burst", 40_000);
        final String commit = System.getProperty("bench.commit", "");
        final String threads = System.getProperty("bench.threads", "1");
        final int sensors = Math.max(1, Math.min(200, rate / 10));

        final long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.startSingleNode();
             ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.Options.defaults())) {
            final String run = "gas" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            final TopicCatalogue catalogue = TopicCatalogue.withPrefix(run);
            final Path state = Files.createTempDirectory("sitewire-gas-bench-state");
            try (StackClients clients = new StackClients(kafka.bootstrapServers(), registry.ccompatUrl(), catalogue)) {
                clients.provision();
                final Map<String, String> settings = new HashMap<>(Map.of(
                        StreamsAppConfig.APPLICATION_ID, run,
                        StreamsAppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                        StreamsAppConfig.SCHEMA_REGISTRY_URL, registry.ccompatUrl(),
                        StreamsAppConfig.TOPIC_PREFIX, run,
                        StreamsAppConfig.STATE_DIR, state.toString(),
                        StreamsAppConfig.NUM_STREAM_THREADS, threads));
                if (!commit.isEmpty()) {
                    settings.put(StreamsAppConfig.COMMIT_INTERVAL_MS, commit);
                }
                final StreamsAppConfig config = StreamsAppConfig.of(settings);
                try (StreamsApp app = new StreamsApp(config, clients.registry)) {
                    app.start();
                    awaitRunning(app);
                    System.out.printf(Locale.ROOT, "stack + app ready in %.1f s (commit %d ms, site threads %s, %d sensors;"
                                    + " load average %s)%n", (System.nanoTime() - started) / 1e9, config.commitIntervalMs(),
                            threads, sensors, loadAverage());
                    final Pipeline pipeline = new Pipeline(clients, run, sensors);
                    pipeline.awaitFlowing();
                    pipeline.paced(rate, warmup, seconds);
                    threadMetrics(app);
                    pipeline.burst(burst);
                    pipeline.close();
                }
            }
        }
        System.exit(0);
    }

    /** The readings' producer and the alerts' read_committed reader, matched by (sensor, event time, state). */
    private static final class Pipeline implements AutoCloseable {
        private final StackClients clients;
        private final int sensors;
        private final long[] lastTime;
        private final boolean[] high;
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final AtomicBoolean measuring = new AtomicBoolean(false);
        private final AtomicBoolean done = new AtomicBoolean(false);
        private final AtomicLong matched = new AtomicLong();
        private final Thread reader;
        /** {send time (ns), latency (µs)} of each measured alert. */
        private final List<long[]> collected = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        Pipeline(final StackClients clients, final String run, final int sensors) {
            this.clients = clients;
            this.sensors = sensors;
            this.lastTime = new long[sensors];
            this.high = new boolean[sensors];
            this.reader = new Thread(() -> read(run), "gas-bench-reader");
            reader.start();
        }

        private void read(final String run) {
            try (KafkaConsumer<String, SpecificRecord> consumer = clients.committedReader(run + "-latency", clients.alertTopics())) {
                while (!done.get()) {
                    for (final ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(20))) {
                        final long now = System.nanoTime();
                        final Alert a = (Alert) r.value();
                        if (!"air.co.ceiling".equals(a.getRule())) {
                            continue; // the zone roll-ups
                        }
                        final String subject = a.getAlertId().split(":")[2];
                        final Long sent = sentAt.remove(subject + "/" + a.getSourceTime() + "/" + a.getState());
                        if (sent != null) {
                            matched.incrementAndGet();
                            if (measuring.get()) {
                                collected.add(new long[] {sent, (now - sent) / 1_000});
                            }
                        }
                    }
                }
            }
        }

        /** One reading of sensor {@code s}: the opposite side of the ceiling from its previous one. */
        private void send(final int s) {
            final long t = Math.max(System.currentTimeMillis(), lastTime[s] + 1);
            lastTime[s] = t;
            high[s] = !high[s];
            final String sensor = "co-" + s;
            sentAt.put(sensor + "/" + t + "/" + (high[s] ? AlertState.RAISED : AlertState.CLEARED), System.nanoTime());
            clients.sendAsync(new SensorReading(P, sensor, "zone-" + s, Metric.co_ppm, high[s] ? 260.0 : 20.0, null, t));
        }

        /** RUNNING does not mean every task has its stores open: one raise and clear of every sensor first. */
        void awaitFlowing() throws InterruptedException {
            final long t0 = System.nanoTime();
            for (int s = 0; s < sensors; s++) {
                send(s);
            }
            for (int s = 0; s < sensors; s++) {
                send(s);
            }
            clients.flush();
            final long deadline = t0 + TimeUnit.MINUTES.toNanos(3);
            while (!sentAt.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("gas path not flowing after 3 min: " + sentAt.size() + " unmatched");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            System.out.printf(Locale.ROOT, "gas path flowing after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }

        void paced(final int rate, final int warmup, final int seconds) throws InterruptedException {
            final int ticksPerSecond = 200;
            final long tickNanos = TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
            final long begin = System.nanoTime();
            final long measureFrom = begin + TimeUnit.SECONDS.toNanos(warmup);
            final long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long tick = 0;
            while (System.nanoTime() < end) {
                final long due = begin + tick * tickNanos;
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    // sleep, not spin: a spinning producer would take one of the machine's two cores from the app
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (!measuring.get() && System.nanoTime() >= measureFrom) {
                    measuring.set(true);
                }
                for (long i = tick * rate / ticksPerSecond; i < (tick + 1) * rate / ticksPerSecond; i++) {
                    send((int) (sent++ % sensors));
                }
                tick++;
            }
            clients.flush();
            final long stopWaiting = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!sentAt.isEmpty() && System.nanoTime() < stopWaiting) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            measuring.set(false);
            final long[] sorted;
            final List<long[]> samples;
            synchronized (collected) {
                samples = List.copyOf(collected);
                collected.clear();
            }
            sorted = samples.stream().mapToLong(x -> x[1]).sorted().toArray();
            System.out.printf(Locale.ROOT, "paced: %d readings at %d/s (%d s warm-up + %d s measured); unmatched at end: %d;"
                    + " load average %s%n", sent, rate, warmup, seconds, sentAt.size(), loadAverage());
            if (sorted.length == 0) {
                System.out.println("reading -> sensor alert (read_committed): no samples");
                return;
            }
            System.out.printf(Locale.ROOT, "reading -> CO ceiling alert (read_committed): n=%d p50 %.1f ms, p90 %.1f ms,"
                            + " p99 %.1f ms, max %.1f ms%n", sorted.length, pct(sorted, 50) / 1e3, pct(sorted, 90) / 1e3,
                    pct(sorted, 99) / 1e3, sorted[sorted.length - 1] / 1e3);
            // p50 per 5 s of sending: a backlog shows as a rising line, a stall as one bad slice
            final StringBuilder line = new StringBuilder("    p50 / p99 per 5 s sent (ms):");
            for (long from = measureFrom; from < end; from += TimeUnit.SECONDS.toNanos(5)) {
                final long lo = from;
                final long hi = from + TimeUnit.SECONDS.toNanos(5);
                final long[] slice = samples.stream().filter(x -> x[0] >= lo && x[0] < hi).mapToLong(x -> x[1]).sorted().toArray();
                if (slice.length > 0) {
                    line.append(String.format(Locale.ROOT, " %.0f/%.0f", pct(slice, 50) / 1e3, pct(slice, 99) / 1e3));
                }
            }
            System.out.println(line);
        }

        void burst(final int burst) throws InterruptedException {
            sentAt.clear();
            final long before = matched.get();
            final long t0 = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                send(i % sensors);
            }
            clients.flush();
            final long sentNanos = System.nanoTime();
            final long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
            while (matched.get() - before < burst && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            final long seen = matched.get() - before;
            final double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "throughput: %d readings sent in %.2f s; %d alerts read (read_committed) after"
                            + " %.2f s: %.0f readings/s through the gas path (exactly-once); load average %s%n",
                    burst, (sentNanos - t0) / 1e9, seen, secs, seen / secs, loadAverage());
        }

        @Override
        public void close() throws InterruptedException {
            done.set(true);
            reader.join();
        }
    }
}
