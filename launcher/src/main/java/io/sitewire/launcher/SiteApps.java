package io.sitewire.launcher;

import io.sitewire.gateway.GatewayMain;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.simulator.IncidentSpec;
import io.sitewire.simulator.KafkaEventSink;
import io.sitewire.simulator.SimulatorConfig;
import io.sitewire.simulator.SiteSimulator;
import io.sitewire.streams.StreamsApp;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.streams.CloseOptions;

/** Starts Sitewire's own services (streams app, gateway, simulator) against a broker and registry. */
final class SiteApps {

    static final String DEMO_PROJECT = "demo";

    private SiteApps() {
    }

    static StreamsApp startStreams(final String bootstrapServers, final String registryUrl, final Path stateDir,
                                   final Map<String, Object> kafka) {
        final Map<String, String> settings = new HashMap<>();
        kafka.forEach((k, v) -> settings.put("kafka." + k, v.toString()));
        settings.put(StreamsAppConfig.APPLICATION_ID, "sitewire-alerts");
        settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, registryUrl);
        settings.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        final StreamsAppConfig config = StreamsAppConfig.of(settings);
        final StreamsApp app = new StreamsApp(config, SchemaRegistryClients.fromConfig(config.registryConfig()));
        app.start();
        return app;
    }

    /** Waits until the streams app runs (its tasks assigned, state restored); closes it and fails if it cannot. */
    static void awaitRunning(final StreamsApp app) {
        final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!app.running()) {
            if (app.failure() != null) {
                app.close();
                throw new StartupException("the streams app failed to start: " + app.failure().getMessage(), app.failure());
            }
            if (System.nanoTime() > deadline) {
                app.close();
                throw new StartupException("the streams app did not reach RUNNING within 2 minutes; see .sitewire/logs/sitewire.log");
            }
            pause();
        }
    }

    /**
     * Closes the streams app's KafkaStreams instances at the same time, each within {@code budget}, leaving their
     * consumer groups so that the next start gets its partitions at once. {@link StreamsApp#close()} closes them one
     * after the other, 30 s each at worst; this is the launcher's bound on it.
     */
    static AutoCloseable boundedClose(final StreamsApp app, final Duration budget) {
        return () -> {
            final CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(budget.minusSeconds(1));
            final List<CompletableFuture<Boolean>> closing = app.instances().stream()
                    .map(streams -> CompletableFuture.supplyAsync(() -> streams.close(options), daemonThreads()))
                    .toList();
            final boolean allClosed = closing.stream().allMatch(CompletableFuture::join);
            if (!allClosed) {
                throw new IllegalStateException("a Kafka Streams instance did not close within " + budget.toSeconds() + " s");
            }
            app.close(); // every instance is NOT_RUNNING already: this only marks the app stopped
        };
    }

    private static java.util.concurrent.Executor daemonThreads() {
        return task -> {
            final Thread thread = new Thread(task, "sitewire-stop-streams");
            thread.setDaemon(true);
            thread.start();
        };
    }

    static GatewayMain.Running startGateway(final String bootstrapServers, final String registryUrl, final int port,
                                            final String secret, final Map<String, Object> kafka) {
        final Map<String, String> settings = new LinkedHashMap<>();
        kafka.forEach((k, v) -> settings.put("kafka." + k, v.toString()));
        settings.put("port", Integer.toString(port));
        settings.put("bind.host", "127.0.0.1");
        settings.put("bootstrap.servers", bootstrapServers);
        settings.put("schema.registry.url", registryUrl);
        settings.put("auth.hs256.secret", secret);
        final GatewayMain.Running gateway = GatewayMain.start(GatewayConfig.of(settings));
        final long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!gateway.server().ready()) {
            if (System.nanoTime() > deadline) {
                gateway.close();
                throw new StartupException("the gateway did not become ready within a minute (is Kafka reachable?)");
            }
            pause();
        }
        return gateway;
    }

    /**
     * The local site's scripted incidents: one of each, the evacuation last. A fall first, since its alert is raised
     * at once (a crane walk's only once the worker has walked under the crane, a minute or two later).
     */
    static final List<IncidentSpec> DEMO_INCIDENTS = Stream.of("fall@2s", "crane-walk@30s", "co-buildup@90s",
            "missing-worker@4m", "evacuation@6m").map(IncidentSpec::parse).toList();

    static SiteSimulator startSimulator(final String bootstrapServers, final String registryUrl, final int workers,
                                        final Map<String, Object> kafka, final Consumer<String> progress) {
        // An hour into the working day (everyone on site, machines working) and the fall 2 s in: a new user sees a
        // busy site and an alert within a minute or so of the run command, not an empty site filling up.
        final SimulatorConfig config = SimulatorConfig.builder().projectIds(List.of(DEMO_PROJECT)).workers(workers)
                .startInShift(Duration.ofHours(1)).incidents(DEMO_INCIDENTS)
                .progressInterval(Duration.ofSeconds(30)).build();
        return SiteSimulator.start(config, new KafkaEventSink(bootstrapServers, registryUrl, TopicCatalogue.LIVE, kafka), progress);
    }

    /** Sample tokens for the demo project, one per role, valid for 12 hours. */
    static Map<String, String> sampleTokens(final String secret) {
        final Duration ttl = Duration.ofHours(12);
        final List<String> project = List.of(DEMO_PROJECT);
        final Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("manager", TestTokens.hs256(secret, "demo-manager", project, List.of("manager"), List.of(), ttl));
        tokens.put("supervisor", TestTokens.hs256(secret, "demo-supervisor", project, List.of("supervisor"), List.of("electrician"), ttl));
        tokens.put("device (POST /v1/events)", TestTokens.hs256(secret, "demo-gateway-1", project, List.of("device"), List.of(), ttl));
        return tokens;
    }

    private static void pause() {
        try {
            Thread.sleep(200); // polling a start-up condition of an in-process service; no event to wait on
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting");
        }
    }
}
