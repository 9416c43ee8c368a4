package io.sitewire.streams;

import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.registry.OutageWaitingRegistryClient;
import io.sitewire.schemas.registry.SchemaCacheWarmer;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.InvalidConfigException;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import io.sitewire.streams.health.Health;
import io.sitewire.streams.health.ProcessMetrics;
import io.sitewire.streams.health.StreamsHttpServer;
import io.sitewire.streams.health.ThreadFailurePolicy;
import io.sitewire.streams.support.DeadLetters;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app: loads and validates the config (exit 2 with every bad key listed), builds {@link AlertsTopology}
 * and runs it, by default as two KafkaStreams instances (site, and emergency with its own application.id, thread and
 * commit interval), until stopped. A stream thread that dies of a transient producer or transaction error is replaced
 * ({@link ThreadFailurePolicy}, a few times at most); any other death stops the app with exit 1: under exactly-once
 * nothing half-done is visible, and a restart resumes from the last commit; a silently shrinking app would be worse.
 * With {@code http.port} set, {@code main} serves /healthz, /readyz and /metrics ({@link StreamsHttpServer}).
 *
 * <p>Usage: {@code StreamsApp [--config FILE]}; see {@link StreamsAppConfig} for keys and environment variables.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, KafkaStreams> instances = new LinkedHashMap<>();
    private final Map<String, Integer> configuredThreads = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public StreamsApp(final StreamsAppConfig config, final SchemaRegistryClient registry) {
        this(config, registry, null);
    }

    /** With the Kafka clients from {@code clients} (null: Kafka Streams' own); tests inject broker failures this way. */
    StreamsApp(final StreamsAppConfig config, final SchemaRegistryClient registry, final KafkaClientSupplier clients) {
        // Wait out a registry outage rather than skip or dead-letter records whose schema is not cached yet.
        final SchemaRegistryClient waiting = OutageWaitingRegistryClient.wrap(registry, DeadLetters.REGISTRY_OUTAGE_WAIT);
        // And cache every catalogued schema now, so that an outage holds up only schemas registered after this start.
        SchemaCacheWarmer.warm(registry, TopicCatalogue.withPrefix(config.topicPrefix()).all());
        final List<Instance> parts = config.separateEmergencyInstance()
                ? List.of(Instance.EMERGENCY, Instance.SITE) : List.of(Instance.ALL);
        for (final Instance part : parts) {
            final Properties props = config.streamsProperties(part);
            final KafkaStreams streams = clients == null
                    ? new KafkaStreams(AlertsTopology.build(config, waiting, part), props)
                    : new KafkaStreams(AlertsTopology.build(config, waiting, part), props, clients);
            final ThreadFailurePolicy policy = ThreadFailurePolicy.defaults();
            streams.setUncaughtExceptionHandler(error -> {
                final StreamThreadExceptionResponse response = policy.decide(error);
                if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                    LOG.warn("{} instance: a stream thread died of a transient error; replacing it (it resumes from the"
                            + " last commit)", part, error);
                    ProcessMetrics.threadReplaced();
                } else {
                    fail(part, error);
                }
                return response;
            });
            streams.setStateListener((now, before) -> {
                LOG.info("{} instance: {} -> {}", part, before, now);
                if (now == KafkaStreams.State.ERROR) {
                    fail(part, new IllegalStateException(part + " instance entered ERROR"));
                }
            });
            final String name = part.name().toLowerCase(Locale.ROOT);
            instances.put(name, streams);
            configuredThreads.put(name, Integer.parseInt(props.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG)));
        }
    }

    public static void main(final String[] args) {
        AvroTrust.install();
        final StreamsAppConfig config;
        try {
            config = StreamsAppConfig.load(args, System.getenv());
        } catch (final InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(config.registryConfig());
        final StreamsApp app = new StreamsApp(config, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sitewire-streams-shutdown"));
        LOG.info("Starting {} (topics '{}', registry {}, guarantee {}, commit {} ms / emergency {} ms, separate emergency "
                        + "instance {})", config.applicationId(), config.topicPrefix(), config.schemaRegistryUrl(),
                config.processingGuarantee(), config.commitIntervalMs(), config.emergencyCommitIntervalMs(),
                config.separateEmergencyInstance());
        app.start();
        StreamsHttpServer http = null;
        if (config.httpPort() > 0) {
            try {
                http = StreamsHttpServer.start(app, config.httpBindHost(), config.httpPort());
                LOG.info("Serving /healthz, /readyz and /metrics on {}:{}", config.httpBindHost(), http.port());
            } catch (final IOException e) {
                LOG.error("Cannot serve HTTP on {}:{} ({}); stopping", config.httpBindHost(), config.httpPort(), e.toString());
                app.close();
                System.exit(1);
            }
        }
        final int code = app.awaitStop();
        app.close();
        if (http != null) {
            http.close();
        }
        System.exit(code);
    }

    public void start() {
        instances.values().forEach(KafkaStreams::start);
    }

    /** Whether every instance is RUNNING (processing). */
    public boolean running() {
        return instances.values().stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    public List<KafkaStreams> instances() {
        return List.copyOf(instances.values());
    }

    /** The instances by name: "site" and "emergency", or "all" when not split. */
    public Map<String, KafkaStreams> instancesByName() {
        return Collections.unmodifiableMap(instances);
    }

    /** A snapshot for {@link Health}: each instance's state and its stream threads that are not dead. */
    public List<Health.Instance> health() {
        final List<Health.Instance> snapshot = new ArrayList<>();
        instances.forEach((name, streams) -> {
            final int alive = (int) streams.metadataForLocalThreads().stream()
                    .filter(t -> !t.threadState().equals("DEAD") && !t.threadState().equals("PENDING_SHUTDOWN")).count();
            snapshot.add(new Health.Instance(name, streams.state(), alive, configuredThreads.get(name)));
        });
        return snapshot;
    }

    /** Blocks until the app fails or is closed; 0 when closed, 1 after a failure. */
    public int awaitStop() {
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure.get() == null ? 0 : 1;
    }

    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        for (final KafkaStreams streams : instances.values()) {
            streams.close(CLOSE_TIMEOUT);
        }
        stopped.countDown();
    }

    private void fail(final Instance part, final Throwable error) {
        if (failure.compareAndSet(null, error)) {
            if (error instanceof MissingSourceTopicException || error.getCause() instanceof MissingSourceTopicException) {
                LOG.error("{} instance: input topics are missing; create them first (./sitewire provision)", part, error);
            } else {
                LOG.error("{} instance failed; stopping the app", part, error);
            }
        }
        stopped.countDown();
    }
}
