package io.sitewire.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a Java installation of a minimum feature version, for a child process such as Apicurio. */
final class JavaRuntimes {

    static final String JAVA_HOME_VARIABLE = "SITEWIRE_REGISTRY_JAVA_HOME";
    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"([0-9._]+)");
    private static final List<Path> INSTALL_ROOTS = List.of(
            Path.of("/usr/lib/jvm"), Path.of("/Library/Java/JavaVirtualMachines"));

    record JavaRuntime(Path home, int feature) {
        Path javaBinary() {
            final Path unix = home.resolve("bin").resolve("java");
            return Files.isExecutable(unix) ? unix : home.resolve("bin").resolve("java.exe");
        }
    }

    private JavaRuntimes() {
    }

    /**
     * In order: an explicit home (must qualify), {@value #JAVA_HOME_VARIABLE} (must qualify),
     * JAVA_HOME, this JVM, then the newest under the usual install folders.
     */
    static Optional<JavaRuntime> find(final int minimumFeature, final Path explicitHome) {
        if (explicitHome != null) {
            return Optional.of(require(explicitHome, minimumFeature, "the java home given in the options"));
        }
        final String fromVariable = Settings.get(JAVA_HOME_VARIABLE);
        if (fromVariable != null) {
            return Optional.of(require(Path.of(fromVariable), minimumFeature, JAVA_HOME_VARIABLE));
        }
        final List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        candidates.add(current().home());
        final Optional<JavaRuntime> preferred = candidates.stream()
                .flatMap(home -> inspect(home).stream())
                .filter(runtime -> runtime.feature() >= minimumFeature)
                .findFirst();
        return preferred.isPresent() ? preferred : installed().stream()
                .filter(runtime -> runtime.feature() >= minimumFeature)
                .max(Comparator.comparingInt(JavaRuntime::feature));
    }

    static JavaRuntime current() {
        return new JavaRuntime(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    private static JavaRuntime require(final Path home, final int minimumFeature, final String source) {
        final JavaRuntime runtime = inspect(home).orElseThrow(() -> new IllegalStateException(
                source + " points to " + home + ", which is not a Java installation (no bin/java and release file)"));
        if (runtime.feature() < minimumFeature) {
            throw new IllegalStateException(source + " points to Java " + runtime.feature() + " at " + home
                    + ", but Java " + minimumFeature + " or newer is needed");
        }
        return runtime;
    }

    private static List<JavaRuntime> installed() {
        final List<JavaRuntime> found = new ArrayList<>();
        for (Path root : INSTALL_ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> homes = Files.list(root)) {
                homes.flatMap(home -> Stream.of(home, home.resolve("Contents/Home")))
                        .flatMap(home -> inspect(home).stream())
                        .forEach(found::add);
            } catch (IOException e) {
                // An unreadable install folder is just one place less to look.
            }
        }
        return found;
    }

    /** Reads JAVA_VERSION from the {@code release} file every JDK and JRE since 9 ships. */
    static Optional<JavaRuntime> inspect(final Path home) {
        final Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(new JavaRuntime(home, 0).javaBinary())) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.map(JAVA_VERSION::matcher)
                    .filter(Matcher::find)
                    .findFirst()
                    .map(match -> new JavaRuntime(home, feature(match.group(1))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** "25.0.3" is 25, "17" is 17, and the old "1.8.0_402" is 8. */
    static int feature(final String version) {
        final String[] parts = version.split("[._]");
        final int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }
}
