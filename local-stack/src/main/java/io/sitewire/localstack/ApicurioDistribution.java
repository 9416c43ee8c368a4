package io.sitewire.localstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Apicurio Registry Quarkus app, taken from its tarball in the local Maven repository and
 * extracted once into a cache folder shared by every build on the machine.
 */
final class ApicurioDistribution {

    static final String VERSION = "3.3.3";
    /** The last line that runs on Java 17, used only when no Java 21+ is installed. */
    static final String JAVA17_VERSION = "3.0.9";
    static final int VERSION_NEEDS_JAVA = 21;

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioDistribution.class);
    /** 3.1+ ship Quarkus' fast-jar layout; 3.0.x ship a legacy {@code *-runner.jar}. */
    private static final String RUN_JAR = "quarkus-run.jar";
    private static final String LEGACY_RUN_JAR_SUFFIX = "-runner.jar";
    private static final Duration STALE_EXTRACTION = Duration.ofHours(1);

    record Launch(String version, Path home, JavaRuntimes.JavaRuntime java) {
        Path runJar() {
            return runnableJar(home).orElseThrow();
        }
    }

    private ApicurioDistribution() {
    }

    /** Apicurio 3.3.3 on a Java 21+ runtime, else 3.0.9 on this JVM if its tarball is there, else a clear failure. */
    static Launch plan(final Path explicitJavaHome) {
        return plan(JavaRuntimes.find(VERSION_NEEDS_JAVA, explicitJavaHome));
    }

    static Launch plan(final Optional<JavaRuntimes.JavaRuntime> modernJava) {
        if (modernJava.isPresent()) {
            return new Launch(VERSION, extracted(VERSION), modernJava.get());
        }
        if (Files.isRegularFile(tarball(JAVA17_VERSION))) {
            LOG.warn("No Java {}+ found for Apicurio {}; running Apicurio {} on Java {} instead",
                    VERSION_NEEDS_JAVA, VERSION, JAVA17_VERSION, Runtime.version().feature());
            return new Launch(JAVA17_VERSION, extracted(JAVA17_VERSION), JavaRuntimes.current());
        }
        throw new IllegalStateException("Apicurio Registry " + VERSION + " needs Java " + VERSION_NEEDS_JAVA
                + " or newer, and none was found (looked at " + JavaRuntimes.JAVA_HOME_VARIABLE
                + ", JAVA_HOME, this JVM, /usr/lib/jvm/*, /Library/Java/JavaVirtualMachines/*). Either install a"
                + " JDK 21+ and set " + JavaRuntimes.JAVA_HOME_VARIABLE + " to its folder (e.g. "
                + JavaRuntimes.JAVA_HOME_VARIABLE + "=/usr/lib/jvm/temurin-25-jdk-amd64), or fetch Apicurio "
                + JAVA17_VERSION + ", which runs on Java 17: " + fetchCommand(JAVA17_VERSION));
    }

    static Path mavenRepository() {
        final String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static Path tarball(final String version) {
        return mavenRepository().resolve(Path.of("io", "apicurio", "apicurio-registry-app", version,
                "apicurio-registry-app-" + version + "-all.tar.gz"));
    }

    static String fetchCommand(final String version) {
        return "mvn dependency:get -Dartifact=io.apicurio:apicurio-registry-app:" + version
                + ":tar.gz:all -Dtransitive=false";
    }

    static Path cacheRoot() {
        final String configured = Settings.get("SITEWIRE_CACHE_DIR");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "sitewire");
    }

    /**
     * Extracts into a temporary sibling and renames it into place, so a killed extraction never
     * leaves a half folder; when two JVMs race, the loser drops its copy and uses the winner's.
     */
    static synchronized Path extracted(final String version) {
        final Path target = cacheRoot().resolve("apicurio-" + version);
        if (runnableJar(target).isPresent()) {
            return target;
        }
        final Path archive = tarball(version);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The Apicurio Registry " + version + " tarball is not in the local Maven"
                    + " repository (" + archive + "). Fetch it with: " + fetchCommand(version));
        }
        try {
            Files.createDirectories(target.getParent());
            deleteStaleExtractions(target.getParent(), version);
            final Path temporary = Files.createTempDirectory(target.getParent(), ".apicurio-" + version + ".tmp-");
            final long began = System.nanoTime();
            untar(archive, temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Extracted Apicurio {} to {} in {} ms", version, target,
                        Duration.ofNanos(System.nanoTime() - began).toMillis());
            } catch (IOException raced) {
                deleteTree(temporary);
                if (runnableJar(target).isEmpty()) {
                    throw raced;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract " + archive + " into " + target, e);
        }
        if (runnableJar(target).isEmpty()) {
            throw new IllegalStateException(target + " has no " + RUN_JAR + " nor *" + LEGACY_RUN_JAR_SUFFIX
                    + "; delete that folder and retry");
        }
        return target;
    }

    static Optional<Path> runnableJar(final Path home) {
        if (Files.isRegularFile(home.resolve(RUN_JAR))) {
            return Optional.of(home.resolve(RUN_JAR));
        }
        if (!Files.isDirectory(home)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(file -> file.getFileName().toString().endsWith(LEGACY_RUN_JAR_SUFFIX)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void untar(final Path archive, final Path into) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                final Path destination = into.resolve(entry.getName()).normalize();
                if (!destination.startsWith(into)) {
                    throw new IOException("Archive entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination);
                }
            }
        }
    }

    private static void deleteStaleExtractions(final Path parent, final String version) throws IOException {
        final Instant cutoff = Instant.now().minus(STALE_EXTRACTION);
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : siblings.filter(p -> p.getFileName().toString()
                    .startsWith(".apicurio-" + version + ".tmp-")).toList()) {
                if (Files.getLastModifiedTime(sibling).toInstant().isBefore(cutoff)) {
                    deleteTree(sibling);
                }
            }
        }
    }

    static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
