package io.sitewire.localstack;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;

import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.test.api.TestKitDefaults;
import org.apache.kafka.metadata.BrokerState;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real KRaft cluster in this JVM, built on Kafka's own test kit. Listeners bind 127.0.0.1 only,
 * data lives in a temporary folder removed on {@link #close()}. Broker ids are
 * {@code 0 .. brokerCount() - 1}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final String BROKER_LISTENER = TestKitDefaults.DEFAULT_BROKER_LISTENER_NAME;
    private static final String CONTROLLER_LISTENER = TestKitDefaults.DEFAULT_CONTROLLER_LISTENER_NAME;

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Set<Integer> stopped = new HashSet<>();
    private boolean closed;

    private EmbeddedKafka(final KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.brokers().values().stream()
                .map(broker -> Ports.LOOPBACK + ":" + broker.boundPort(ListenerName.normalised(BROKER_LISTENER)))
                .collect(Collectors.joining(","));
    }

    /** One combined broker+controller: the cheapest real cluster, for tests. */
    public static EmbeddedKafka startSingleNode() {
        return start(1, 1, true);
    }

    /**
     * Separate broker and controller nodes. Combined multi-node quorums are not offered: on Kafka
     * 4.3.1 the test kit's raft threads die in handleUpdateVoterResponse with three combined nodes.
     */
    public static EmbeddedKafka startCluster(final int brokers, final int controllers) {
        if (brokers < 1 || controllers < 1) {
            throw new IllegalArgumentException("A cluster needs at least 1 broker and 1 controller, got "
                    + brokers + " brokers and " + controllers + " controllers");
        }
        return start(brokers, controllers, false);
    }

    private static EmbeddedKafka start(final int brokers, final int controllers, final boolean combined) {
        final long began = System.nanoTime();
        final TestKitNodes nodes = new TestKitNodes.Builder(productionFeatures())
                .setCombined(combined)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(controllers)
                .setPerServerProperties(loopbackListeners(brokers, controllers, combined))
                .build();
        final KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        BrokerSettings.forBrokers(brokers).forEach(builder::setConfigProp);
        // Every node, not only those given per-server properties: a combined single node that missed it would
        // heartbeat every 2 s against a 3 s session and fence itself under load.
        BrokerSettings.forTestBrokers().forEach(builder::setConfigProp);
        builder.setConfigProp("unstable.api.versions.enable", "false");
        builder.setConfigProp("unstable.feature.versions.enable", "false");
        useLoopbackSockets(builder);
        KafkaClusterTestKit cluster = null;
        try {
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            final EmbeddedKafka kafka = new EmbeddedKafka(cluster);
            LOG.info("Kafka {} broker(s) + {} controller(s){} ready at {} in {} ms", brokers, controllers,
                    combined ? " (combined)" : "", kafka.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            return kafka;
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Embedded Kafka (" + brokers + " brokers, " + controllers
                    + " controllers) did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The kit defaults to the newest metadata version under development (4.4-IV0 with 4.3.1 jars) and
     * advertises unstable APIs to clients; Sitewire's tests should meet what a released broker does.
     */
    private static BootstrapMetadata productionFeatures() {
        final MetadataVersion version = MetadataVersion.latestProduction();
        final Map<String, Short> levels = new TreeMap<>();
        Feature.PRODUCTION_FEATURES.forEach(feature -> levels.put(feature.featureName(), feature.defaultLevel(version)));
        return BootstrapMetadata.fromVersions(version, levels, "sitewire");
    }

    /**
     * The kit's default listeners say "localhost"; naming 127.0.0.1 makes the advertised address and
     * the re-bind of a restarted broker loopback-only and immune to localhost resolving to ::1.
     */
    private static Map<Integer, Map<String, String>> loopbackListeners(final int brokers, final int controllers,
                                                                       final boolean combined) {
        final Map<Integer, Map<String, String>> perServer = new HashMap<>();
        final String broker = BROKER_LISTENER + "://" + Ports.LOOPBACK + ":0";
        final String controller = CONTROLLER_LISTENER + "://" + Ports.LOOPBACK + ":0";
        for (int id = 0; id < brokers; id++) {
            final Map<String, String> props = new HashMap<>(BrokerSettings.forTestBrokers());
            props.put("listeners", combined ? broker + "," + controller : broker);
            if (combined) {
                props.putAll(BrokerSettings.forTestControllers(brokers));
            }
            perServer.put(id, props);
        }
        if (!combined) {
            final int first = TestKitDefaults.BROKER_ID_OFFSET + TestKitDefaults.CONTROLLER_ID_OFFSET;
            for (int id = first; id < first + controllers; id++) {
                final Map<String, String> props = new HashMap<>(BrokerSettings.forTestControllers(brokers));
                props.put("listeners", controller);
                perServer.put(id, props);
            }
        }
        return perServer;
    }

    /** The kit has no hook for its socket manager, which binds 0.0.0.0; swap it before build(). */
    private static void useLoopbackSockets(final KafkaClusterTestKit.Builder builder) {
        try {
            final Field field = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
            field.setAccessible(true);
            final PreboundSocketFactoryManager original = (PreboundSocketFactoryManager) field.get(builder);
            field.set(builder, new LoopbackSocketFactoryManager());
            original.close();
        } catch (Exception e) {
            throw new IllegalStateException("This Kafka test kit version changed its internals; "
                    + "cannot bind the embedded cluster to 127.0.0.1 only", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int brokerCount() {
        return cluster.brokers().size();
    }

    /** A controlled shutdown of one broker; the others keep running. Stopping a stopped broker does nothing. */
    public synchronized void stopBroker(final int brokerId) {
        final BrokerServer broker = broker(brokerId);
        if (stopped.add(brokerId)) {
            broker.shutdown();
            broker.awaitShutdown();
            LOG.info("Kafka broker {} stopped", brokerId);
        }
    }

    /**
     * Stops one broker the way a crash does: without controlled shutdown, so its leaderships are not handed over
     * first. Clients see their connections drop mid-request, and the controller only fences the broker when its
     * session expires ({@code broker.session.timeout.ms}), then elects new leaders from the in-sync replicas. The
     * log files are closed on the way down, as the OS would keep a crashed process's written pages: what was
     * acknowledged stays on disk. {@link #startBroker(int)} brings it back. Killing a stopped broker does nothing.
     */
    public synchronized void killBroker(final int brokerId) {
        final BrokerServer broker = broker(brokerId);
        if (!stopped.add(brokerId)) {
            return;
        }
        // The kit has no crash switch and a broker reads controlled.shutdown.enable only when it shuts down; flip it
        // for this one shutdown and put it back, so that a later stopBroker of the restarted broker is controlled.
        final Field flag = controlledShutdownFlag();
        try {
            final Object before = flag.get(broker.config());
            flag.set(broker.config(), Boolean.FALSE);
            try {
                broker.shutdown();
                broker.awaitShutdown();
            } finally {
                flag.set(broker.config(), before);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("This Kafka version changed its internals; cannot kill broker " + brokerId, e);
        }
        LOG.info("Kafka broker {} killed (no controlled shutdown)", brokerId);
    }

    private static Field controlledShutdownFlag() {
        try {
            final Field field = kafka.server.KafkaConfig.class.getDeclaredField("controlledShutdownEnable");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("This Kafka version changed its internals; cannot kill a broker", e);
        }
    }

    /** Starts a stopped broker on its old port and waits until the controller has unfenced it. */
    public synchronized void startBroker(final int brokerId) {
        final BrokerServer broker = broker(brokerId);
        if (!stopped.contains(brokerId)) {
            return;
        }
        broker.startup();
        stopped.remove(brokerId);
        awaitRunning(broker, brokerId);
        LOG.info("Kafka broker {} started", brokerId);
    }

    private void awaitRunning(final BrokerServer broker, final int brokerId) {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (broker.brokerState() != BrokerState.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker " + brokerId + " is not running after "
                            + READY_TIMEOUT.toSeconds() + " s; state " + broker.brokerState());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            final ControllerServer anyController = cluster.controllers().values().iterator().next();
            anyController.controller().waitForReadyBrokers(brokerCount() - stopped.size())
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Kafka broker " + brokerId, e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker " + brokerId + " did not become ready", e);
        }
    }

    private BrokerServer broker(final int brokerId) {
        if (closed) {
            throw new IllegalStateException("The embedded Kafka cluster is closed");
        }
        final BrokerServer broker = cluster.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + brokerId + "; broker ids are "
                    + cluster.brokers().keySet());
        }
        return broker;
    }

    /** Shutdown problems are logged, not thrown: by now the tests have their results. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(cluster);
    }

    private static void closeQuietly(final KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.error("Embedded Kafka reported a problem while shutting down", e);
        }
    }

    @Override
    public String toString() {
        final StringJoiner joiner = new StringJoiner(", ", "EmbeddedKafka[", "]");
        joiner.add("bootstrap=" + bootstrapServers).add("brokers=" + brokerCount()).add("stopped=" + stopped);
        return joiner.toString();
    }
}
