package io.sitewire.launcher;

import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.PersistentKafka;
import io.sitewire.schemas.provision.ProvisionReport;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        final CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C (also during start-up) stops whatever has started, newest first.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (hasStarted()) {
                out.println();
                out.println("Stopping Sitewire ...");
                stopAll();
                out.println("Stopped.");
                out.flush();
            }
            stopped.countDown();
        }, "sitewire-shutdown"));
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
        stopped.await();
        return 0;
    }

    private Endpoints startLocal() throws IOException {
        Ports.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
        Ports.requireFree(registryPort, "schema registry", "--registry-port");
        Ports.requireFree(gatewayPort, "gateway", "--gateway-port");
        final Progress progress = new Progress(out, noSimulator ? 5 : 6);
        if (fresh) {
            deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        final PersistentKafka kafka = progress.run("Starting Kafka (KRaft, one node)", () -> {
            try {
                return PersistentKafka.start(dataDir.resolve("kafka"), kafkaPort);
            } catch (final RuntimeException e) {
                throw new StartupException(e.getMessage() + System.lineSeparator()
                        + "  If the data folder " + dataDir.resolve("kafka") + " is damaged, start over with: ./sitewire up --fresh", e);
            }
        });
        register(kafka);
        final ApicurioRegistry registry = progress.run("Starting the schema registry (Apicurio)", () ->
                ApicurioRegistry.start(ApicurioRegistry.Options.defaults().withPort(registryPort).withDataDir(dataDir.resolve("registry"))));
        register(registry);
        final ProvisionReport report = progress.run("Provisioning topics and schemas", () ->
                Provisioning.provision(kafka.bootstrapServers(), Map.of(), registry.ccompatUrl(), TopicCatalogue.LIVE, null));
        progress.info(report.describe());
        return startApps(progress, kafka.bootstrapServers(), registry.ccompatUrl(), Map.of());
    }

    /** Sitewire's own services, the same for a local and an external cluster. */
    private Endpoints startApps(final Progress progress, final String bootstrap, final String registryUrl,
                                final Map<String, Object> kafka) throws IOException {
        final String secret = GatewaySecret.load(dataDir, System.getenv("SITEWIRE_AUTH_HS256_SECRET"));
        register(progress.run("Starting the streams app (alert rules)", () ->
                SiteApps.startStreams(bootstrap, registryUrl, dataDir.resolve("streams"), kafka)));
        register(progress.run("Starting the gateway on port " + gatewayPort, () ->
                SiteApps.startGateway(bootstrap, registryUrl, gatewayPort, secret, kafka)));
        if (!noSimulator) {
            register(progress.run("Starting the site simulator (" + workers + " workers, project '" + SiteApps.DEMO_PROJECT + "')", () ->
                    SiteApps.startSimulator(bootstrap, registryUrl, workers, kafka, line -> { })));
        }
        final Map<String, String> tokens = SiteApps.sampleTokens(secret);
        final String dashboard = "http://127.0.0.1:" + gatewayPort + "/?token=" + tokens.get("manager");
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

    private synchronized boolean hasStarted() {
        return !started.isEmpty();
    }

    private synchronized void stopAll() {
        while (!started.isEmpty()) {
            final AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (final Exception e) {
                System.err.println("  could not stop " + service + ": " + e.getMessage());
            }
        }
    }

    private synchronized void register(final AutoCloseable service) {
        started.push(service);
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
