package io.sitewire.streams;

import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.streams.config.InvalidConfigException;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app: loads and validates the config (exit 2 with every bad key listed), builds {@link AlertsTopology}
 * and runs it, by default as two KafkaStreams instances (site, and emergency with its own application.id, thread and
 * commit interval), until stopped. A stream thread that dies stops the app with exit 1: under exactly-once nothing
 * half-done is visible, and a restart resumes from the last commit; a silently shrinking app would be worse.
 *
 * <p>Usage: {@code StreamsApp [--config FILE]}; see {@link StreamsAppConfig} for keys and environment variables.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<KafkaStreams> instances = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public StreamsApp(final StreamsAppConfig config, final SchemaRegistryClient registry) {
        final List<Instance> parts = config.separateEmergencyInstance()
                ? List.of(Instance.EMERGENCY, Instance.SITE) : List.of(Instance.ALL);
        for (final Instance part : parts) {
            final KafkaStreams streams = new KafkaStreams(AlertsTopology.build(config, registry, part),
                    config.streamsProperties(part));
            streams.setUncaughtExceptionHandler(error -> {
                fail(part, error);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((now, before) -> {
                LOG.info("{} instance: {} -> {}", part, before, now);
                if (now == KafkaStreams.State.ERROR) {
                    fail(part, new IllegalStateException(part + " instance entered ERROR"));
                }
            });
            instances.add(streams);
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
        final int code = app.awaitStop();
        app.close();
        System.exit(code);
    }

    public void start() {
        instances.forEach(KafkaStreams::start);
    }

    /** Whether every instance is RUNNING (processing). */
    public boolean running() {
        return instances.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    public List<KafkaStreams> instances() {
        return List.copyOf(instances);
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
        for (final KafkaStreams streams : instances) {
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
