package io.sitewire.localstack;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Starts the stack chosen by SITEWIRE_STACK and prints one line saying what runs and how long it took. */
final class StackStarter {

    static final String BOOTSTRAP_SERVERS = "SITEWIRE_BOOTSTRAP_SERVERS";
    static final String REGISTRY_URL = "SITEWIRE_REGISTRY_URL";

    private StackStarter() {
    }

    /** @param settings a setting by name, or null when unset */
    static StartedStack start(final Function<String, String> settings) {
        final StackMode mode = StackMode.parse(settings.apply(StackMode.SETTING));
        return switch (mode) {
            case EMBEDDED -> embedded();
            case EXTERNAL -> external(settings);
            case TESTCONTAINERS -> TestcontainersStack.start();
        };
    }

    /** Apicurio starts in its own thread while Kafka starts in this one: the two take about as long. */
    private static StartedStack embedded() {
        final long began = System.nanoTime();
        final CompletableFuture<ApicurioRegistry> registryStart = CompletableFuture.supplyAsync(
                () -> ApicurioRegistry.start(ApicurioRegistry.Options.defaults()),
                task -> new Thread(task, "sitewire-registry-start").start());
        final EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.startSingleNode();
        } catch (RuntimeException e) {
            registryStart.thenAccept(ApicurioRegistry::close);
            throw e;
        }
        final long kafkaReady = System.nanoTime();
        final ApicurioRegistry registry;
        try {
            registry = registryStart.join();
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        final long allReady = System.nanoTime();
        System.out.printf(Locale.ROOT, "Sitewire stack (embedded) ready in %.1f s: Kafka %s (1 node, %.1f s),"
                        + " schema registry %s (Apicurio, %.1f s)%n",
                seconds(allReady - began), kafka.bootstrapServers(), seconds(kafkaReady - began),
                registry.ccompatUrl(), seconds(allReady - began));
        final LocalStack stack = new LocalStack(StackMode.EMBEDDED, kafka.bootstrapServers(), registry.ccompatUrl(),
                kafka, registry);
        return new StartedStack(stack, () -> {
            try (kafka; registry) {
                // try-with-resources closes both, even when one fails.
            }
        });
    }

    private static StartedStack external(final Function<String, String> settings) {
        final String bootstrapServers = settings.apply(BOOTSTRAP_SERVERS);
        final String registryUrl = settings.apply(REGISTRY_URL);
        if (bootstrapServers == null || registryUrl == null) {
            throw new IllegalStateException("SITEWIRE_STACK=external needs " + BOOTSTRAP_SERVERS + " and "
                    + REGISTRY_URL + " (e.g. " + BOOTSTRAP_SERVERS + "=127.0.0.1:9092 " + REGISTRY_URL
                    + "=http://127.0.0.1:8080/apis/ccompat/v7); got " + BOOTSTRAP_SERVERS + "=" + bootstrapServers
                    + ", " + REGISTRY_URL + "=" + registryUrl);
        }
        System.out.printf(Locale.ROOT, "Sitewire stack (external): Kafka %s, schema registry %s; nothing started%n",
                bootstrapServers, registryUrl);
        return new StartedStack(new LocalStack(StackMode.EXTERNAL, bootstrapServers, registryUrl, null, null), () -> {
        });
    }

    static double seconds(final long nanos) {
        return nanos / (double) TimeUnit.SECONDS.toNanos(1);
    }
}
