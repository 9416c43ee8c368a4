package io.sitewire.gateway;

import io.sitewire.gateway.config.ConfigException;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.fanout.RegistryDecoder;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.registry.SchemaCacheWarmer;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the gateway: {@code java -cp ... io.sitewire.gateway.GatewayMain [--config FILE]}. Configuration as
 * in {@link GatewayConfig}; exits 2 with every problem listed when it is invalid.
 */
public final class GatewayMain {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(final String[] args) throws Exception {
        final GatewayConfig config;
        try {
            config = GatewayConfig.fromArgs(args, System.getenv());
        } catch (final ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final AutoCloseable gateway = start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (final Exception e) {
                LOG.warn("closing the gateway failed", e);
            }
            stopped.countDown();
        }, "sitewire-gateway-shutdown"));
        stopped.await();
    }

    /**
     * Starts a gateway as {@code main} does (registry client, token verifier, room authoriser, ingest, metrics):
     * the one wiring used by this main, the launcher's local site and the tests. Closing it stops everything.
     */
    public static Running start(final GatewayConfig config) {
        AvroTrust.install();
        LOG.info("starting with {}", config.describe());
        final Map<String, Object> registryConfig = new HashMap<>(config.kafka());
        registryConfig.put(SchemaRegistryClients.URL, config.schemaRegistryUrl());
        final SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(registryConfig);
        // Cached now, the schemas keep live delivery and ingest going through a later registry outage.
        SchemaCacheWarmer.warm(registry, TopicCatalogue.withPrefix(config.topicPrefix()).all());
        final io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics = GatewayServer.newRegistry();
        final Wiring wiring = Wiring.of(config, registry, metrics);
        try {
            return new Running(GatewayServer.start(config, wiring.access(), new RegistryDecoder(registry), wiring.ingest(),
                    wiring.replayHttp(), metrics), wiring);
        } catch (final Exception e) {
            wiring.close();
            throw new IllegalStateException("the gateway could not start on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    /** A started gateway. */
    public record Running(GatewayServer server, Wiring wiring) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            wiring.close();
        }
    }
}
