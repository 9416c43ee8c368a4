package io.sitewire.launcher;

import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.PersistentKafka;
import io.sitewire.schemas.provision.ProvisionReport;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.sitewire.streams.StreamsApp;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a local site: a KRaft broker and a schema registry whose data live in one folder (and survive a
 * restart), the catalogue's topics, and prints where everything listens. Ctrl-C stops it all cleanly.
 * With {@code --external} it uses an existing cluster and registry instead.
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start a local Sitewire site; Ctrl-C stops it.")
final class UpCommand implements Callable<Integer> {

    // Each part's stop budget. Measured stops take 0.2-15 s here under heavy load (the streams app's exactly-once
    // close once took over 19 s at load 50); a part over its budget is reported and left behind, so the whole stop
    // is bounded by 25 + 30 + 30 s at worst.
    private static final Duration SIMULATOR_STOP = Duration.ofSeconds(25);
    private static final Duration STREAMS_STOP = Duration.ofSeconds(30);
    private static final Duration GATEWAY_STOP = Duration.ofSeconds(20);
    private static final Duration REGISTRY_STOP = Duration.ofSeconds(20);
    private static final Duration KAFKA_STOP = Duration.ofSeconds(30);

    @Option(names = "--data-dir", defaultValue = ".sitewire/data", description = "where the local run keeps its data (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--fresh", description = "delete the data folder first and start from nothing")
    boolean fresh;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "local Kafka port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "local schema registry port (default: ${DEFAULT-VALUE})")
    int registryPort;

    @Option(names = "--gateway-port", defaultValue = "8080", description = "gateway (dashboard, WebSocket, ingest) port (default: ${DEFAULT-VALUE})")
    int gatewayPort;

    @Option(names = "--no-simulator", description = "start no simulated site (only real devices will send events)")
    boolean noSimulator;

    @Option(names = "--workers", defaultValue = "200", description = "simulated workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--external", description = "use an existing Kafka cluster and registry (--bootstrap-servers, --registry-url); start no broker")
    boolean external;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:SITEWIRE_BOOTSTRAP_SERVERS}", description = "external Kafka (with --external)")
    String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "${env:SITEWIRE_REGISTRY_URL}", description = "external Confluent-compatible registry URL (with --external)")
    String registryUrl;

    private final StopSequence started = new StopSequence();
    private final PrintStream out = System.out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean up;

    @Override
    public Integer call() throws Exception {
        // Ctrl-C once: a clean stop, part by part, each within a budget; twice: exit at once. Ctrl-C during the
        // start ends the JVM, and the shutdown hook stops whatever has started. The hook also covers any other exit.
        StopSignals.install(() -> {
            if (up) {
                stopRequested.countDown();
            } else {
                new Thread(() -> System.exit(StopSignals.FORCED_EXIT_CODE), "sitewire-exit").start();
            }
        }, () -> {
            out.println();
            out.println("Second Ctrl-C: exiting now, without waiting for the parts still stopping "
                    + "(Kafka recovers its logs at the next start).");
            out.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "sitewire-shutdown"));
        try {
            final Endpoints endpoints = external ? useExternal() : startLocal();
            out.println();
            out.println("Sitewire is up.");
            out.println("  Kafka bootstrap servers: " + endpoints.bootstrapServers());
            out.println("  Schema registry:         " + endpoints.registryUrl());
            if (!external) {
                out.println("  Data folder:             " + dataDir.toAbsolutePath().normalize() + " (kept across restarts; --fresh starts over)");
            }
            out.println("  Dashboard:               " + endpoints.dashboardUrl());
            out.println("  WebSocket:               ws://127.0.0.1:" + gatewayPort + "/v1/stream   HTTP ingest: POST http://127.0.0.1:" + gatewayPort + "/v1/events");
            out.println("  Sample tokens (project '" + SiteApps.DEMO_PROJECT + "', 12 h):");
            endpoints.tokens().forEach((role, token) -> out.println("    " + role + ": " + token));
            out.println("Press Ctrl-C to stop.");
        } catch (final RuntimeException e) {
            stopAll();
            throw e;
        }
        up = true;
        stopRequested.await();
        stopAll();
        return 0;
    }

    private Endpoints startLocal() throws IOException {
        Ports.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
        Ports.requireFree(registryPort, "schema registry", "--registry-port");
        Ports.requireFree(gatewayPort, "gateway", "--gateway-port");
        final Progress progress = new Progress(out, noSimulator ? 7 : 8);
        if (fresh) {
            deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        // The registry is a JVM of its own and needs nothing from Kafka: it boots while Kafka starts in this one.
        final CompletableFuture<ApicurioRegistry> registryStart = CompletableFuture.supplyAsync(() ->
                ApicurioRegistry.start(ApicurioRegistry.Options.defaults().withPort(registryPort).withDataDir(dataDir.resolve("registry"))
                        // On a loaded 2-core machine its boot has taken over the 2-minute default.
                        .withStartupTimeout(Duration.ofMinutes(5))),
                task -> {
                    final Thread thread = new Thread(task, "sitewire-registry-start");
                    thread.setDaemon(true);
                    thread.start();
                });
        final PersistentKafka kafka;
        final ProvisionReport report;
        try {
            kafka = progress.run("Starting Kafka (KRaft, one node; the schema registry boots alongside)", () -> {
                try {
                    return PersistentKafka.start(dataDir.resolve("kafka"), kafkaPort);
                } catch (final RuntimeException e) {
                    throw new StartupException(e.getMessage() + System.lineSeparator()
                            + "  If the data folder " + dataDir.resolve("kafka") + " is damaged, start over with: ./sitewire up --fresh", e);
                }
            });
            started.add("Kafka", StopSequence.Stage.INFRASTRUCTURE, KAFKA_STOP, kafka);
            // Topics need only Kafka: they are created while the registry is still booting (its boot is the longer one).
            report = progress.run("Provisioning topics (the schema registry still boots)", () ->
                    Provisioning.provision(kafka.bootstrapServers(), Map.of(), TopicCatalogue.LIVE, null));
        } catch (final RuntimeException e) {
            registryStart.thenAccept(ApicurioRegistry::close); // not among the started parts yet
            throw e;
        }
        progress.info(report.describe());
        final ApicurioRegistry registry = progress.run("Waiting for the schema registry (Apicurio)", () -> {
            try {
                return registryStart.join();
            } catch (final CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        });
        started.add("schema registry", StopSequence.Stage.INFRASTRUCTURE, REGISTRY_STOP, registry);
        progress.run("Registering the event schemas", () -> {
            Provisioning.provisionSchemas(registry.ccompatUrl(), TopicCatalogue.LIVE);
            return null;
        });
        return startApps(progress, kafka.bootstrapServers(), registry.ccompatUrl(), Map.of());
    }

    /** Sitewire's own services, the same for a local and an external cluster. */
    private Endpoints startApps(final Progress progress, final String bootstrap, final String registryUrl,
                                final Map<String, Object> kafka) throws IOException {
        final String secret = GatewaySecret.load(dataDir, System.getenv("SITEWIRE_AUTH_HS256_SECRET"));
        // The streams app warms up (schemas cached from the registry, topologies built, group joined, state restored)
        // on a thread of its own while the gateway and the simulator start: the dashboard is up seconds sooner, and
        // what the simulator sends meanwhile waits in Kafka for the alert rules. The last step waits for it.
        final CompletableFuture<StreamsApp> streams = new CompletableFuture<>();
        final Thread starter = new Thread(() -> {
            try {
                streams.complete(SiteApps.startStreams(bootstrap, registryUrl, dataDir.resolve("streams"), kafka));
            } catch (final Throwable e) {
                streams.completeExceptionally(e);
            }
        }, "sitewire-streams-start");
        starter.setDaemon(true);
        progress.run("Starting the streams app (alert rules; it warms up while the rest starts)", () -> {
            starter.start();
            return null;
        });
        started.add("streams app", StopSequence.Stage.APPS, STREAMS_STOP, () -> {
            final StreamsApp app;
            try {
                app = streams.get(STREAMS_STOP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final ExecutionException e) {
                return; // it never started: nothing to stop
            }
            SiteApps.boundedClose(app, STREAMS_STOP).close();
        });
        started.add("gateway", StopSequence.Stage.APPS, GATEWAY_STOP, progress.run("Starting the gateway on port " + gatewayPort, () ->
                SiteApps.startGateway(bootstrap, registryUrl, gatewayPort, secret, kafka)));
        if (!noSimulator) {
            started.add("site simulator (checking workers out)", StopSequence.Stage.EVENT_SOURCES, SIMULATOR_STOP,
                    progress.run("Starting the site simulator (" + workers + " workers, project '" + SiteApps.DEMO_PROJECT + "')", () ->
                            SiteApps.startSimulator(bootstrap, registryUrl, workers, kafka, line -> { })));
        }
        final Map<String, String> tokens = SiteApps.sampleTokens(secret);
        final String dashboard = "http://127.0.0.1:" + gatewayPort + "/?token=" + tokens.get("manager");
        // The dashboard works from here on (workers and machines move); a new user need not wait for the streams
        // app's first start to open it, and the page shows the alerts it has missed once they come.
        progress.info("Dashboard (open it now; alerts appear as soon as the streams app runs): " + dashboard);
        progress.run("Waiting for the streams app to run (group joined, state restored)", () -> {
            try {
                SiteApps.awaitRunning(streams.get());
            } catch (final ExecutionException e) {
                throw e.getCause() instanceof StartupException startup ? startup
                        : new StartupException("the streams app failed to start: " + e.getCause().getMessage(), e.getCause());
            }
            return null;
        });
        return new Endpoints(bootstrap, registryUrl, dashboard, tokens);
    }

    private Endpoints useExternal() throws IOException {
        if (bootstrapServers == null || bootstrapServers.isBlank() || registryUrl == null || registryUrl.isBlank()) {
            throw new StartupException("--external needs --bootstrap-servers and --registry-url "
                    + "(or SITEWIRE_BOOTSTRAP_SERVERS and SITEWIRE_REGISTRY_URL)");
        }
        Ports.requireFree(gatewayPort, "gateway", "--gateway-port");
        final Progress progress = new Progress(out, noSimulator ? 4 : 5);
        final Map<String, Object> kafka = KafkaClientEnv.from(System.getenv());
        final ProvisionReport report = progress.run("Provisioning topics and schemas on " + bootstrapServers, () ->
                Provisioning.provision(bootstrapServers, kafka, registryUrl, TopicCatalogue.LIVE, null));
        progress.info(report.describe());
        return startApps(progress, bootstrapServers, registryUrl, kafka);
    }

    /** Stops what has started, once, whoever calls first (the main thread after Ctrl-C, the hook, a failed start). */
    private synchronized void stopAll() {
        if (started.isEmpty()) {
            return;
        }
        out.println();
        out.println("Stopping Sitewire (Ctrl-C again to exit at once) ...");
        out.flush();
        started.stopAll(out);
    }

    private static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    record Endpoints(String bootstrapServers, String registryUrl, String dashboardUrl, Map<String, String> tokens) {
    }
}
