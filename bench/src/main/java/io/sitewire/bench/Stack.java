package io.sitewire.bench;

import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.schemas.provision.SchemaProvisioner;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.StreamsApp;
import io.sitewire.streams.config.StreamsAppConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The stack under test: an embedded KRaft broker and an Apicurio registry (or running ones), the catalogue's topics
 * and schemas, the streams app in this JVM, and the gateway as a child JVM (or a running one). Loopback only.
 */
final class Stack implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Generous: a loaded 2-core machine has taken over a minute to start the gateway. */
    private static final Duration GATEWAY_START = Duration.ofMinutes(3);

    /** A part to stop, with the most its stop may take before it is left behind. */
    private record Part(String name, AutoCloseable part, Duration stopLimit) {
    }

    private final Deque<Part> started = new ArrayDeque<>();
    private String bootstrapServers;
    private String registryUrl;
    private URI gatewayBase;
    private String secret;
    private GatewayProcess gateway;
    private TopicCatalogue catalogue;

    static Stack start(final BenchOptions o, final Progress progress) throws IOException {
        final Stack s = new Stack();
        // Ctrl-C (or a deadline's kill) still stops the gateway child, which then writes its flight recording
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "bench-stack-stop"));
        try {
            s.catalogue = TopicCatalogue.withPrefix(o.topicPrefix());
            if (o.bootstrapServers() == null) {
                final EmbeddedKafka kafka = progress.step("Starting Kafka (embedded KRaft, one node)", EmbeddedKafka::startSingleNode);
                s.started.push(new Part("Kafka", kafka, Duration.ofSeconds(60)));
                s.bootstrapServers = kafka.bootstrapServers();
            } else {
                s.bootstrapServers = o.bootstrapServers();
            }
            if (o.registryUrl() == null) {
                final ApicurioRegistry registry = progress.step("Starting the schema registry (Apicurio)",
                        () -> ApicurioRegistry.start(ApicurioRegistry.Options.defaults()));
                s.started.push(new Part("schema registry", registry, Duration.ofSeconds(30)));
                s.registryUrl = registry.ccompatUrl();
            } else {
                s.registryUrl = o.registryUrl();
            }
            progress.step("Provisioning topics and schemas", () -> {
                s.provision();
                return null;
            });
            if (o.startStreams()) {
                final Path state = Files.createTempDirectory("sitewire-bench-streams");
                s.started.push(new Part("streams app", progress.step("Starting the streams app", () -> s.startStreams(state)),
                        Duration.ofSeconds(60)));
            }
            if (o.gatewayUrl() == null) {
                s.secret = randomSecret();
                final Map<String, String> env = new HashMap<>();
                env.put("SITEWIRE_BOOTSTRAP_SERVERS", s.bootstrapServers);
                env.put("SITEWIRE_SCHEMA_REGISTRY_URL", s.registryUrl);
                env.put("SITEWIRE_TOPIC_PREFIX", o.topicPrefix());
                env.put("SITEWIRE_AUTH_HS256_SECRET", s.secret);
                s.gateway = progress.step("Starting the gateway (child JVM, -Xmx" + o.gatewayHeap() + ")",
                        () -> GatewayProcess.start(o.gatewayClasspathFile(), env, o.gatewayHeap(), o.out(), o.profile(), GATEWAY_START));
                s.started.push(new Part("gateway", s.gateway, Duration.ofSeconds(75))); // its own stop: 60 s, then a kill
                s.gatewayBase = s.gateway.base();
            } else {
                s.secret = o.gatewaySecret();
                s.gatewayBase = URI.create(o.gatewayUrl());
            }
            return s;
        } catch (final IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void provision() {
        final Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            new TopicProvisioner(admin, TopicProvisioner.defaultReplicationFactor(admin, TIMEOUT), TIMEOUT).provision(catalogue.all());
        }
        new SchemaProvisioner(HttpSchemaRegistryClient.builder(registryUrl).build()).provision(catalogue.all());
    }

    private StreamsApp startStreams(final Path state) {
        final Map<String, String> settings = new HashMap<>();
        settings.put(StreamsAppConfig.APPLICATION_ID, catalogue.prefix() + "-bench-alerts");
        settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, registryUrl);
        settings.put(StreamsAppConfig.TOPIC_PREFIX, catalogue.prefix());
        settings.put(StreamsAppConfig.STATE_DIR, state.toString());
        final StreamsAppConfig config = StreamsAppConfig.of(settings);
        final StreamsApp app = new StreamsApp(config, SchemaRegistryClients.fromConfig(config.registryConfig()));
        app.start();
        final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!app.running()) {
            if (app.failure() != null || System.nanoTime() > deadline) {
                app.close();
                throw new IllegalStateException("the streams app did not reach RUNNING", app.failure());
            }
            try {
                Thread.sleep(100); // polling a start-up condition: KafkaStreams offers no future for RUNNING here
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                app.close();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return app;
    }

    private static String randomSecret() {
        final byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String registryUrl() {
        return registryUrl;
    }

    TopicCatalogue catalogue() {
        return catalogue;
    }

    URI gatewayBase() {
        return gatewayBase;
    }

    URI streamUri() {
        return URI.create(gatewayBase.toString().replaceFirst("^http", "ws") + "/v1/stream");
    }

    String secret() {
        return secret;
    }

    /** The bench-started gateway, or null when the bench points at a running one (no heap figures then). */
    GatewayProcess gateway() {
        return gateway;
    }

    /**
     * Something of the run to stop before the stack (a fleet of clients, the alert producer), also when the run is
     * cut short by Ctrl-C; {@link #forget} takes it off once the run has stopped it itself.
     */
    synchronized void stopFirst(final String name, final AutoCloseable part, final Duration stopLimit) {
        started.push(new Part(name, part, stopLimit));
    }

    synchronized void forget(final AutoCloseable part) {
        started.removeIf(p -> p.part() == part);
    }

    /** Stops every part, the last started first, each within its limit (a part that overruns is left behind). */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            final Part p = started.pop();
            Waits.closeWithin(p.name(), p.part(), p.stopLimit());
        }
    }
}
