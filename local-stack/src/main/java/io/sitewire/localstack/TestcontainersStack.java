package io.sitewire.localstack;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Locale;

/**
 * Kafka and Apicurio in containers, for machines with a Docker engine. Kept in its own class so that
 * Testcontainers is only loaded in this mode.
 */
final class TestcontainersStack {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
    static final String REGISTRY_IMAGE = "apicurio/apicurio-registry:" + ApicurioDistribution.VERSION;
    private static final int REGISTRY_PORT = 8080;
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private TestcontainersStack() {
    }

    static StartedStack start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            // Surefire counts an aborted class as "Tests run: 0" without the reason, so say it once here.
            System.out.println("Sitewire stack (testcontainers): no Docker engine reachable; classes using"
                    + " @SitewireStack are skipped. SITEWIRE_STACK=embedded (the default) needs no Docker.");
            Assumptions.abort("SITEWIRE_STACK=testcontainers, but there is no Docker engine reachable from this"
                    + " machine, so these tests are skipped. Run them with SITEWIRE_STACK=embedded (the default),"
                    + " which needs no Docker.");
        }
        final long began = System.nanoTime();
        final KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        final GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
                .withExposedPorts(REGISTRY_PORT)
                .waitingFor(Wait.forHttp(CCOMPAT_PATH + "/subjects").forStatusCode(200))
                .withStartupTimeout(Duration.ofMinutes(3));
        try {
            Startables.deepStart(kafka, registry).join();
        } catch (RuntimeException e) {
            kafka.stop();
            registry.stop();
            throw e;
        }
        final String registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT)
                + CCOMPAT_PATH;
        System.out.printf(Locale.ROOT, "Sitewire stack (testcontainers) ready in %.1f s: Kafka %s (%s),"
                        + " schema registry %s (%s)%n", StackStarter.seconds(System.nanoTime() - began),
                kafka.getBootstrapServers(), KAFKA_IMAGE, registryUrl, REGISTRY_IMAGE);
        final LocalStack stack = new LocalStack(StackMode.TESTCONTAINERS, kafka.getBootstrapServers(), registryUrl,
                null, null);
        return new StartedStack(stack, () -> {
            registry.stop();
            kafka.stop();
        });
    }
}
