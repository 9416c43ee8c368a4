package io.sitewire.localstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One combined broker+controller for the local run, keeping its data in a folder across restarts.
 * Clients connect to {@code 127.0.0.1:port}; the controller listens on a free loopback port chosen
 * at each start. The quorum is static ({@code controller.quorum.voters}, read from the config at
 * every start) rather than {@code --standalone}, whose voter record would pin the controller port
 * in the folder forever.
 *
 * <p>A fatal broker fault ends the JVM, as {@code kafka-server-start.sh} would: this class is for a
 * launcher, not for tests (use {@link EmbeddedKafka} there).
 */
public final class PersistentKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private PersistentKafka(final KafkaRaftServer server, final String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code dataDir} if it is new, then starts the node in this JVM.
     *
     * @throws IllegalStateException if the port is taken or the folder is not a usable Kafka data folder;
     *                               the message says what to do
     */
    public static PersistentKafka start(final Path dataDir, final int port) {
        final long began = System.nanoTime();
        final Path dir = dataDir.toAbsolutePath().normalize();
        Ports.requireFree(port, "Kafka");
        final Map<String, String> props = serverProperties(dir, port, Ports.freePort());
        format(dir);
        final KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw unusable(dir, e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            if (!Ports.isFree(port)) {
                throw new IllegalStateException("Kafka could not start: port " + port
                        + " was taken while starting. Pick another port.", e);
            }
            throw unusable(dir, e);
        }
        final PersistentKafka kafka = new PersistentKafka(server, Ports.LOOPBACK + ":" + port);
        LOG.info("Kafka (persistent, {}) ready at {} in {} ms", dir, kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return kafka;
    }

    private static Map<String, String> serverProperties(final Path dir, final int port, final int controllerPort) {
        final String broker = "PLAINTEXT://" + Ports.LOOPBACK + ":" + port;
        final String controller = CONTROLLER_LISTENER + "://" + Ports.LOOPBACK + ":" + controllerPort;
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + Ports.LOOPBACK + ":" + controllerPort);
        props.put("listeners", broker + "," + controller);
        props.put("advertised.listeners", broker);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.toString());
        props.putAll(BrokerSettings.forBrokers(1));
        return props;
    }

    /** Like {@code kafka-storage.sh format --ignore-formatted}: a formatted folder is left as it is. */
    private static void format(final Path dir) {
        try {
            Files.createDirectories(dir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(existingClusterId(dir).orElseGet(() -> Uuid.randomUuid().toString()))
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw unusable(dir, e);
        }
    }

    /** The Formatter checks a formatted folder against the cluster id it is given, so give it the folder's own. */
    private static Optional<String> existingClusterId(final Path dir) throws IOException {
        final Path metaProperties = dir.resolve("meta.properties");
        if (!Files.isRegularFile(metaProperties)) {
            return Optional.empty();
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(metaProperties, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    private static IllegalStateException unusable(final Path dir, final Exception cause) {
        return new IllegalStateException("Kafka cannot use its data folder " + dir + ": " + cause.getMessage()
                + ". If another Sitewire run uses this folder, stop it. Otherwise the folder is corrupt or not a"
                + " Kafka folder: delete it (all local Kafka data is lost) or start fresh with an empty folder.",
                cause);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly(server);
        LOG.info("Kafka (persistent) at {} stopped", bootstrapServers);
    }

    private static void stopQuietly(final KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka did not shut down cleanly", e);
        }
    }
}
