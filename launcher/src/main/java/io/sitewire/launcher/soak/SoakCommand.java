package io.sitewire.launcher.soak;

import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.simulator.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sitewire soak}: a long run of a whole local site under simulated traffic and dashboard churn, to show that
 * nothing leaks and nothing is lost. Starts {@code sitewire up --fresh} in its own JVM (its simulator is the traffic),
 * connects WebSocket clients to the project's management room (every streamed record of the site), makes them drop and
 * resume at random, checks each client's frames against the topics themselves ({@link KafkaTruth}), samples the
 * gateway's {@code /metrics} and the site JVM every minute, and writes {@code soak.json} and {@code soak.md}.
 * Exit code 0 when the verdict passes, 1 when it does not.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run a whole local site for a long time with simulated traffic and WebSocket clients that drop and resume;",
                "check every client got every event once and in order, and that the site's heap and connection count stay flat.",
                "Writes soak.json and soak.md to --report-dir. Exit code 1 when the verdict fails."})
public final class SoakCommand implements Callable<Integer> {

    static final String PROJECT = "demo";

    @Option(names = "--duration", defaultValue = "60m", description = "how long the clients run (e.g. 5m, 60m, 2h; default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--clients", defaultValue = "20", description = "WebSocket clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--churn", defaultValue = "60s", description = "mean time between a client's disconnects (default ${DEFAULT-VALUE})")
    String churn;

    @Option(names = "--sample-every", defaultValue = "60s", description = "how often to sample (default ${DEFAULT-VALUE})")
    String sampleEvery;

    @Option(names = "--warm-up", defaultValue = "10m", description = {"how long the site runs under the clients before its heap"
            + " baseline is taken; at most half of --duration (default ${DEFAULT-VALUE})"})
    String warmUp;

    @Option(names = "--window", defaultValue = "256", description = {"the clients' flow-control window in frames, acknowledged"
            + " at half of it as the JS SDK does; 0 for clients without one (default ${DEFAULT-VALUE})"})
    int window;

    @Option(names = "--workers", defaultValue = "200", description = "simulated workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the clients' random churn (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--report-dir", defaultValue = ".sitewire/soak", description = "where soak.json, soak.md and the site's output go (default ${DEFAULT-VALUE})")
    Path reportDir;

    @Option(names = "--data-dir", defaultValue = ".sitewire/soak-data", description = "the soak site's data folder, emptied at the start (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "(default ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "(default ${DEFAULT-VALUE})")
    int registryPort;

    @Option(names = "--gateway-port", defaultValue = "8080", description = "(default ${DEFAULT-VALUE})")
    int gatewayPort;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (window != 0 && (window < 8 || window > 4096)) {
            // The gateway's own bounds for a flow frame; a client refused there would soak without a window unnoticed.
            throw new ParameterException(spec.commandLine(), "--window must be 0 (none) or 8-4096 frames, not " + window);
        }
        final Duration length = Durations.parse(duration);
        final Duration every = Durations.parse(sampleEvery);
        final Duration meanChurn = Durations.parse(churn);
        // A new site fills bounded state first; a baseline taken before that would count the filling as growth.
        final Duration warm = min(Durations.parse(warmUp), length.dividedBy(2));
        final String room = "management:project:" + PROJECT;
        Files.createDirectories(reportDir);
        final String startedAt = Instant.now().toString();
        out.printf(Locale.ROOT, "Soak: %s, %d clients on %s (%s), a disconnect every %s per client on average, %d simulated"
                        + " workers; heap baseline after a %s warm-up%n",
                Durations.format(length), clients, room, window > 0 ? "flow-control window " + window : "no flow-control window",
                Durations.format(meanChurn), workers, Durations.format(warm));
        out.println("Starting the site (sitewire up --fresh, its own JVM; output in " + reportDir.resolve("site.out") + ") ...");
        try (SiteProcess site = SiteProcess.start(List.of("--fresh", "--data-dir", dataDir.toString(),
                        "--kafka-port", Integer.toString(kafkaPort), "--registry-port", Integer.toString(registryPort),
                        "--gateway-port", Integer.toString(gatewayPort), "--workers", Integer.toString(workers)),
                reportDir.resolve("site.out"), Duration.ofMinutes(10));
             HeapProbe heap = attachOrNull(site.pid());
             KafkaTruth truth = new KafkaTruth("127.0.0.1:" + kafkaPort, new StreamedTopics(TopicCatalogue.LIVE))) {
            final String secret = Files.readString(dataDir.resolve("gateway-hs256.secret"), StandardCharsets.UTF_8).trim();
            final String token = TestTokens.hs256(secret, "soak", List.of(PROJECT), List.of("manager"), List.of(),
                    length.plusHours(1));
            final WebSocketClient ws = new WebSocketClient();
            ws.start();
            final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
                final Thread t = new Thread(r, "sitewire-soak-churn");
                t.setDaemon(true);
                return t;
            });
            final List<SoakClient> all = new ArrayList<>();
            try {
                final URI uri = URI.create("ws://127.0.0.1:" + gatewayPort + "/v1/stream");
                for (int i = 0; i < clients; i++) {
                    final SoakClient client = new SoakClient(i, ws, uri, token, room, meanChurn, window, scheduler, seed * 1_000_003L + i, truth);
                    all.add(client);
                    client.start();
                }
                awaitUntil(() -> all.stream().allMatch(SoakClient::connected), Duration.ofMinutes(2));
                all.forEach(SoakClient::startChurn);
                final Double heapStart = heap == null ? null : heap.heapAfterGcMb();
                final Integer threadsStart = heap == null ? null : heap.threads();
                out.printf(Locale.ROOT, "%d clients subscribed; site heap after GC %s MB. Running until %s ...%n", clients,
                        heapStart == null ? "n/a" : String.format(Locale.ROOT, "%.1f", heapStart), Instant.now().plus(length));

                final long began = System.nanoTime();
                final List<SoakReport.Sample> samples = new ArrayList<>();
                samples.add(sample(0, all, heap));
                // The baseline is a sample of its own at the warm-up's end, whatever the sampling period.
                boolean baselineTaken = warm.isZero();
                long next = nextSample(0, every.toNanos(), warm.toNanos());
                while (System.nanoTime() - began < length.toNanos()) {
                    final long wait = Math.min(next, length.toNanos()) - (System.nanoTime() - began);
                    if (wait > 0) {
                        Thread.sleep(Math.max(1, wait / 1_000_000)); // the soak's own pace: it samples on a clock
                    }
                    if (System.nanoTime() - began >= next || System.nanoTime() - began >= length.toNanos()) {
                        final SoakReport.Sample s = sample((System.nanoTime() - began) / 6e10, all, heap);
                        samples.add(s);
                        out.println(describe(s));
                        if (!baselineTaken && System.nanoTime() - began >= warm.toNanos()) {
                            baselineTaken = true;
                            out.printf(Locale.ROOT, "  warm-up over: heap baseline %s MB after GC%n", s.heapAfterGcMb());
                        }
                        next = nextSample(next, every.toNanos(), warm.toNanos());
                    }
                }
                final double minutes = (System.nanoTime() - began) / 6e10;

                // The end: stop churning; measure with the clients connected, then let them go and count again.
                all.forEach(c -> c.stopChurn());
                awaitUntil(() -> all.stream().allMatch(SoakClient::connected), Duration.ofSeconds(30));
                final int connectedAtEnd = (int) all.stream().filter(SoakClient::connected).count();
                final Integer gatewayAtEnd = gatewayConnections();
                final Double heapEnd = heap == null ? null : heap.heapAfterGcMb();
                final Integer threadsEnd = heap == null ? null : heap.threads();
                // Frames still in flight when the truth stops being read would wait for ever: give the truth a moment.
                awaitUntil(() -> all.stream().allMatch(c -> c.stats().pending() == 0), Duration.ofSeconds(30));
                final List<SoakClient.Stats> stats = all.stream().map(SoakClient::stats).toList();
                all.forEach(SoakClient::stop);
                awaitUntil(() -> Integer.valueOf(0).equals(gatewayConnections()), Duration.ofSeconds(30));
                final Integer gatewayAfterLeft = gatewayConnections();

                out.println("Stopping the site ...");
                final List<String> siteStop = site.stop(Duration.ofMinutes(3));
                siteStop.forEach(line -> out.println("  site: " + line));

                final SoakReport.Totals totals = SoakReport.Totals.of(stats);
                final SoakReport.Heap heapReport = SoakReport.Heap.of(heapStart, warm.toNanos() / 6e10, samples, heapEnd);
                final SoakReport report = new SoakReport(
                        new SoakReport.Settings(Durations.format(length), clients, Durations.format(meanChurn), workers, room,
                                Durations.format(every), Durations.format(warm), window),
                        startedAt, minutes, heapReport, threadsStart, threadsEnd, connectedAtEnd, gatewayAtEnd,
                        gatewayAfterLeft, truth.records(), totals, samples, stats, siteStop,
                        SoakReport.Verdict.of(totals, connectedAtEnd, gatewayAtEnd, gatewayAfterLeft, heapReport));
                report.write(reportDir);
                out.println();
                out.print(report.markdown().lines().limit(14).reduce("", (a, b) -> a + b + System.lineSeparator()));
                out.println("Report: " + reportDir.resolve("soak.md") + " and soak.json");
                return report.verdict().passed() ? 0 : 1;
            } finally {
                all.forEach(SoakClient::stop);
                scheduler.shutdownNow();
                ws.stop();
            }
        }
    }

    private HeapProbe attachOrNull(final long pid) {
        try {
            return HeapProbe.attach(pid);
        } catch (final IOException | RuntimeException e) {
            out.println("Cannot read the site's heap (" + e.getMessage() + "); heap is not judged.");
            return null;
        }
    }

    /** The next sample time: the next multiple of the period, or the warm-up's end if that comes first. */
    static long nextSample(final long previous, final long period, final long warmUpEnd) {
        final long periodic = (previous / period + 1) * period;
        return warmUpEnd > previous && warmUpEnd < periodic ? warmUpEnd : periodic;
    }

    /**
     * One look at the site. The heap is read twice: as it is (garbage included) and right after a full GC that the
     * soak asks for, which is the live data whose trend says whether something leaks; one full GC per sample is the
     * price (a pause of the site's JVM, well under a second at these heap sizes).
     */
    private SoakReport.Sample sample(final double minute, final List<SoakClient> all, final HeapProbe heap) {
        final List<SoakClient.Stats> stats = all.stream().map(SoakClient::stats).toList();
        final SoakReport.Totals t = SoakReport.Totals.of(stats);
        final Double used = heap == null ? null : Math.round(heap.heapUsedMb() * 10) / 10.0;
        final Double afterGc = heap == null ? null : Math.round(heap.heapAfterGcMb() * 10) / 10.0;
        return new SoakReport.Sample(Math.round(minute * 10) / 10.0, gatewayConnections(),
                (int) all.stream().filter(SoakClient::connected).count(), used, afterGc, heap == null ? null : heap.threads(),
                t.frames(), t.connects(), t.missed(), t.repeated(), t.reordered());
    }

    private static String describe(final SoakReport.Sample s) {
        return String.format(Locale.ROOT, "  [%5.1f min] gateway connections %s, clients connected %d, site heap %s MB (%s after GC),"
                        + " threads %s, frames %,d, connects %,d, missed %d, repeated %d, reordered %d", s.minute(),
                s.gatewayConnections(), s.clientsConnected(), s.heapUsedMb(), s.heapAfterGcMb(), s.threads(), s.frames(),
                s.connects(), s.missed(), s.repeated(), s.reordered());
    }

    /** The gateway's own count of open WebSocket connections, from /metrics; null if it cannot be read. */
    private Integer gatewayConnections() {
        try {
            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gatewayPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("sitewire_gateway_connections "))
                    .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst().orElse(null);
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void awaitUntil(final BooleanSupplier condition, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling a condition of remote processes; there is no event to wait on
        }
    }
}
