package io.sitewire.schemas.registry;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST-ONLY stand-in for {@code @io.sitewire.localstack.SitewireStack} until module local-stack lands: a real Apicurio
 * Registry 3.3.3 as a child process, with the same shape ({@link #registryUrl()}, {@link #stop()},
 * {@link #restart()}), so the ITs can swap to {@code stack.registryUrl()} / {@code stack.registry()} later.
 *
 * <p>The tarball is the one maven-dependency-plugin copies to target/apicurio (system property
 * {@code apicurio.tarball}), else the one in ~/.m2. It is extracted once into {@code java.io.tmpdir} (atomically,
 * so concurrent builds share it) and run with a Java 21+ (Apicurio 3.3 needs it): {@code apicurio.java} /
 * {@code APICURIO_JAVA}, else Temurin 25 or any JDK 21+ under /usr/lib/jvm. Storage is in memory: a restart
 * forgets every schema, as the registry's own ids do.
 */
final class ApicurioForTests implements AutoCloseable {

    static final String VERSION = "3.3.3";
    private static final Logger LOG = LoggerFactory.getLogger(ApicurioForTests.class);
    private static final String API = "/apis/ccompat/v7";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private static ApicurioForTests shared;

    private final Path home;
    private final Path java;
    private final int port;
    private final int managementPort;
    private final Path log;
    private Process process;

    private ApicurioForTests(final Path home, final Path java) {
        this.home = home;
        this.java = java;
        this.port = freePort();
        this.managementPort = freePort();
        this.log = Path.of(System.getProperty("apicurio.log.dir", "target")).resolve("apicurio-" + port + ".log");
    }

    /** A registry of its own, started; close it when done. */
    static ApicurioForTests start() {
        final ApicurioForTests registry = new ApicurioForTests(extracted(), javaForApicurio());
        registry.launch();
        return registry;
    }

    /** One registry for the whole test JVM, for tests that neither stop it nor depend on it being empty. */
    static synchronized ApicurioForTests shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "apicurio-shutdown"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT/apis/ccompat/v7}, as {@code LocalStack.registryUrl()} will give it. */
    String registryUrl() {
        return "http://127.0.0.1:" + port + API;
    }

    /** Kills the registry; the port stays reserved for {@link #restart()} only by convention. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
        LOG.info("Apicurio on port {} stopped", port);
    }

    /** Starts it again on the same port (empty: storage is in memory). */
    synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        final long start = System.nanoTime();
        final List<String> command = List.of(java.toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", home.resolve("quarkus-run.jar").toString());
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot start Apicurio: " + command, e);
        }
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpRequest ping = HttpRequest.newBuilder(URI.create(registryUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).build();
        await("Apicurio on port " + port + " answering " + registryUrl() + "/subjects (log: " + log + ")")
                .atMost(STARTUP).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Apicurio exited with " + process.exitValue() + "; see "
                                + log.toAbsolutePath());
                    }
                    return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        LOG.info("Apicurio {} ready at {} in {} ms", VERSION, registryUrl(),
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** The app directory holding quarkus-run.jar, extracted on first use. */
    private static Path extracted() {
        final Path home = Path.of(System.getProperty("java.io.tmpdir")).resolve("sitewire-apicurio-" + VERSION);
        if (Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            return home;
        }
        final Path tarball = tarball();
        try {
            final Path partial = Files.createTempDirectory(home.getParent(), home.getFileName() + ".partial-");
            final Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", partial.toString())
                    .redirectErrorStream(true).start();
            final String output = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("tar failed on " + tarball + ": " + output);
            }
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (final FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteTree(partial); // another build extracted it first
            } catch (final IOException e) {
                if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
                    throw e;
                }
                deleteTree(partial);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot extract " + tarball + " into " + home, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting " + tarball, e);
        }
        return home;
    }

    private static Path tarball() {
        final String name = "apicurio-registry-app-" + VERSION + "-all.tar.gz";
        final Path fromBuild = Optional.ofNullable(System.getProperty("apicurio.tarball")).map(Path::of).orElse(null);
        final Path fromRepo = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "apicurio",
                "apicurio-registry-app", VERSION, name);
        for (final Path candidate : new Path[] {fromBuild, fromRepo}) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + name + " at " + fromBuild + " or " + fromRepo
                + ": run the build through `mvn verify` (maven-dependency-plugin copies it to target/apicurio)");
    }

    private static Path javaForApicurio() {
        final String configured = Optional.ofNullable(System.getProperty("apicurio.java"))
                .orElse(System.getenv("APICURIO_JAVA"));
        if (configured != null) {
            return Path.of(configured);
        }
        final Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        if (Files.isExecutable(temurin25)) {
            return temurin25;
        }
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> featureVersion(jdk) >= 21)
                    .max(Comparator.comparingInt(ApicurioForTests::featureVersion))
                    .map(jdk -> jdk.resolve("bin/java"))
                    .orElseThrow();
        } catch (final IOException | RuntimeException e) {
            throw new IllegalStateException("Apicurio " + VERSION + " needs Java 21+: set -Dapicurio.java or "
                    + "APICURIO_JAVA to its java binary (none found under /usr/lib/jvm)", e);
        }
    }

    private static int featureVersion(final Path jdk) {
        try {
            for (final String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    final String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(final Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
