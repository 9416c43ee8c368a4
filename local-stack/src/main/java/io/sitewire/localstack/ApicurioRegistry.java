package io.sitewire.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry as a child process, serving the Confluent-compatible API under
 * {@code /apis/ccompat/v7}, bound to 127.0.0.1. Schemas are kept in an H2 file in the data folder,
 * so they survive {@link #stop()}/{@link #restart()} as they would with a real registry's storage.
 * The child's output goes to {@code apicurio.log} in that folder.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);

    /**
     * How to start the registry.
     *
     * @param port           HTTP port on 127.0.0.1; 0 picks a free one (kept across {@link #restart()})
     * @param javaHome       a Java 21+ home to run it with; null finds one (see {@link ApicurioRegistry})
     * @param dataDir        folder for the schema database and the log; null uses a temporary folder
     *                       deleted on {@link #close()}
     * @param startupTimeout how long to wait for the registry to answer
     */
    public record Options(int port, Path javaHome, Path dataDir, Duration startupTimeout) {

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
            }
        }

        /** A free port, an automatically found Java 21+, a temporary folder, 2 minutes to start. */
        public static Options defaults() {
            return new Options(0, null, null, Duration.ofMinutes(2));
        }

        public Options withPort(final int newPort) {
            return new Options(newPort, javaHome, dataDir, startupTimeout);
        }

        public Options withJavaHome(final Path newJavaHome) {
            return new Options(port, newJavaHome, dataDir, startupTimeout);
        }

        public Options withDataDir(final Path newDataDir) {
            return new Options(port, javaHome, newDataDir, startupTimeout);
        }

        public Options withStartupTimeout(final Duration newStartupTimeout) {
            return new Options(port, javaHome, dataDir, newStartupTimeout);
        }
    }

    private final ApicurioDistribution.Launch launch;
    private final int port;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Duration startupTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::stopChild, "apicurio-registry-shutdown");
    private volatile ChildProcess child;
    private boolean closed;

    private ApicurioRegistry(final ApicurioDistribution.Launch launch, final int port, final Path dataDir,
                             final boolean ownsDataDir, final Duration startupTimeout) {
        this.launch = launch;
        this.port = port;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.startupTimeout = startupTimeout;
    }

    /**
     * Starts the registry and returns once {@code GET /apis/ccompat/v7/subjects} answers 200.
     *
     * <p>Java: {@code options.javaHome()}, else {@value JavaRuntimes#JAVA_HOME_VARIABLE}, else JAVA_HOME
     * or this JVM if 21+, else the newest JDK 21+ under /usr/lib/jvm. Without any, Apicurio 3.0.9 runs
     * on this JVM if its tarball is in the local Maven repository.
     *
     * @throws IllegalStateException with what to do, if no Java/tarball is found, the port is taken
     *                               or the registry dies or does not answer in time
     */
    public static ApicurioRegistry start(final Options options) {
        return start(options, ApicurioDistribution.plan(options.javaHome()));
    }

    static ApicurioRegistry start(final Options options, final ApicurioDistribution.Launch launch) {
        final int port = options.port() == 0 ? Ports.freePort() : options.port();
        final boolean ownsDataDir = options.dataDir() == null;
        final Path dataDir;
        try {
            dataDir = ownsDataDir
                    ? Files.createTempDirectory("sitewire-apicurio-")
                    : Files.createDirectories(options.dataDir().toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Apicurio data folder", e);
        }
        final ApicurioRegistry registry = new ApicurioRegistry(launch, port, dataDir, ownsDataDir,
                options.startupTimeout());
        Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
        try {
            registry.launch();
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    public String baseUrl() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    public String ccompatUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return dataDir.resolve("apicurio.log");
    }

    /** Stops the process; the registry is unreachable until {@link #restart()}. Stopping twice does nothing. */
    public synchronized void stop() {
        if (child == null) {
            return;
        }
        stopChild();
        child = null;
        LOG.info("Apicurio Registry at {} stopped", baseUrl());
    }

    /** Starts the registry again on the same port, with the same data; waits until it answers. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("This Apicurio Registry is closed");
        }
        stop();
        launch();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stopping a stopped child does nothing.
        }
        if (ownsDataDir) {
            try {
                ApicurioDistribution.deleteTree(dataDir);
            } catch (IOException e) {
                LOG.warn("Could not delete {}", dataDir, e);
            }
        }
    }

    private synchronized void launch() {
        Ports.requireFree(port, "Apicurio Registry");
        final long began = System.nanoTime();
        final ChildProcess started = ChildProcess.start("Apicurio Registry", command(Ports.freePort()), dataDir, logFile());
        child = started;
        final HttpRequest probe = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            started.awaitReady(() -> answers(probe), startupTimeout,
                    "a port is in use: " + port + " or its management port; pick another port, or 0 for a free one");
        } catch (RuntimeException e) {
            started.stop();
            child = null;
            throw e;
        }
        LOG.info("Apicurio Registry {} (Java {}) ready at {} in {} ms, log {}", launch.version(),
                launch.java().feature(), ccompatUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                logFile());
    }

    /** The flags measured to start it in ~3 s at ~260 MB; management stays off 0.0.0.0:9000. */
    private List<String> command(final int managementPort) {
        final List<String> command = new ArrayList<>();
        command.add(launch.java().javaBinary().toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=" + Ports.LOOPBACK);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.host=" + Ports.LOOPBACK);
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.resolve("registry").toAbsolutePath());
        // The default pool keeps 20 connections open; one developer's tests need a couple.
        command.add("-Dapicurio.datasource.jdbc.initial-size=2");
        command.add("-Dapicurio.datasource.jdbc.min-size=2");
        command.add("-Dapicurio.datasource.jdbc.max-size=20");
        command.add("-jar");
        command.add(launch.runJar().toString());
        return command;
    }

    private boolean answers(final HttpRequest probe) {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }

    private void stopChild() {
        final ChildProcess current = child;
        if (current != null) {
            current.stop();
        }
    }

    @Override
    public String toString() {
        return "ApicurioRegistry[" + ccompatUrl() + ", version " + launch.version() + ", data " + dataDir + "]";
    }
}
