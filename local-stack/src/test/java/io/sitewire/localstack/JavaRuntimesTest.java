package io.sitewire.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JavaRuntimesTest {

    @Test
    void readsTheFeatureVersionOfEveryVersionScheme() {
        assertThat(JavaRuntimes.feature("25.0.3")).isEqualTo(25);
        assertThat(JavaRuntimes.feature("21")).isEqualTo(21);
        assertThat(JavaRuntimes.feature("1.8.0_402")).isEqualTo(8);
    }

    @Test
    void recognisesAnInstallationByItsReleaseFile(@TempDir final Path home) throws IOException {
        // Given a folder shaped like a JDK 21
        fakeJdk(home, "21.0.5");

        // When it is inspected
        // Then it is a Java 21
        assertThat(JavaRuntimes.inspect(home)).hasValueSatisfying(runtime -> {
            assertThat(runtime.feature()).isEqualTo(21);
            assertThat(runtime.javaBinary()).isEqualTo(home.resolve("bin/java"));
        });
    }

    @Test
    void refusesAnExplicitHomeThatIsTooOld(@TempDir final Path home) throws IOException {
        // Given a JDK 17 named explicitly
        fakeJdk(home, "17.0.15");

        // When a Java 21+ is required
        // Then the failure names the version found and the one needed
        assertThatThrownBy(() -> JavaRuntimes.find(21, home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Java 17")
                .hasMessageContaining("Java 21 or newer");
    }

    @Test
    void refusesAnExplicitHomeThatIsNoJava(@TempDir final Path home) {
        assertThatThrownBy(() -> JavaRuntimes.find(21, home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a Java installation");
    }

    private static void fakeJdk(final Path home, final String version) throws IOException {
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        final Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
