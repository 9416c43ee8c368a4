package io.sitewire.localstack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Points the local Maven repository and the cache at temporary folders through system properties. */
class ApicurioDistributionTest {

    private static final String VERSION = "0.0.1-test";

    @TempDir
    Path repository;
    @TempDir
    Path cache;
    private String previousRepository;

    @BeforeEach
    void useTemporaryFolders() {
        previousRepository = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", repository.toString());
        System.setProperty("SITEWIRE_CACHE_DIR", cache.toString());
    }

    @AfterEach
    void restore() {
        if (previousRepository == null) {
            System.clearProperty("maven.repo.local");
        } else {
            System.setProperty("maven.repo.local", previousRepository);
        }
        System.clearProperty("SITEWIRE_CACHE_DIR");
    }

    @Test
    void saysWhichMavenCommandFetchesAMissingTarball() {
        assertThatThrownBy(() -> ApicurioDistribution.extracted(VERSION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(repository.toString())
                .hasMessageContaining("mvn dependency:get -Dartifact=io.apicurio:apicurio-registry-app:" + VERSION
                        + ":tar.gz:all -Dtransitive=false");
    }

    @Test
    void extractsOnceIntoTheCacheLeavingNoTemporaryFolder() throws IOException {
        // Given a tarball in the local repository
        final Path tarball = ApicurioDistribution.tarball(VERSION);
        writeTarball(tarball);

        // When it is extracted
        final Path home = ApicurioDistribution.extracted(VERSION);

        // Then the app is in the cache and nothing half-done is left beside it
        assertThat(home).isEqualTo(cache.resolve("apicurio-" + VERSION));
        assertThat(home.resolve("quarkus-run.jar")).hasContent("run");
        assertThat(home.resolve("lib/main/a.jar")).hasContent("a");
        try (Stream<Path> siblings = Files.list(cache)) {
            assertThat(siblings).containsExactly(home);
        }

        // And a second call uses the cache, even without the tarball
        Files.delete(tarball);
        assertThat(ApicurioDistribution.extracted(VERSION)).isEqualTo(home);
    }

    @Test
    void fallsBackToApicurio309OnThisJvmWhenNoJava21IsInstalled() throws IOException {
        // Given no Java 21+, but Apicurio 3.0.9's tarball in the local repository
        writeTarball(ApicurioDistribution.tarball(ApicurioDistribution.JAVA17_VERSION));

        // When a launch is planned
        final ApicurioDistribution.Launch launch = ApicurioDistribution.plan(Optional.empty());

        // Then 3.0.9 runs on this JVM
        assertThat(launch.version()).isEqualTo("3.0.9");
        assertThat(launch.java()).isEqualTo(JavaRuntimes.current());
    }

    @Test
    void explainsBothWaysOutWhenNeitherJava21NorApicurio309IsThere() {
        assertThatThrownBy(() -> ApicurioDistribution.plan(Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Java 21 or newer")
                .hasMessageContaining("SITEWIRE_REGISTRY_JAVA_HOME")
                .hasMessageContaining("mvn dependency:get -Dartifact=io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all"
                        + " -Dtransitive=false");
    }

    @Test
    void findsTheLegacyRunnerJarOfApicurio30(@TempDir final Path home) throws IOException {
        Files.writeString(home.resolve("apicurio-registry-app-3.0.9-runner.jar"), "run");
        assertThat(ApicurioDistribution.runnableJar(home)).contains(home.resolve("apicurio-registry-app-3.0.9-runner.jar"));
    }

    private static void writeTarball(final Path tarball) throws IOException {
        Files.createDirectories(tarball.getParent());
        try (OutputStream file = Files.newOutputStream(tarball);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
            add(tar, "quarkus-run.jar", "run");
            add(tar, "lib/main/a.jar", "a");
        }
    }

    private static void add(final TarArchiveOutputStream tar, final String name, final String content) throws IOException {
        final byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        final TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
