package io.sitewire.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md names, for each control, the tests that prove it ({@code SomeTest}, {@code SomeIT}, or
 * {@code SomeTest.someMethod}). Every class named must exist in a module's test sources, and every method named must be
 * in it, so the document cannot keep pointing at a test that was renamed or deleted.
 */
class SecurityDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern NAMED = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))(?:\\.([a-z][A-Za-z0-9]*))?`");

    private static Map<String, Path> testSources() throws IOException {
        final Map<String, Path> byName = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (final Path module : modules.toList()) {
                final Path tests = module.resolve("src/test/java");
                if (!Files.isDirectory(tests)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(tests)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .forEach(f -> byName.put(f.getFileName().toString().replace(".java", ""), f));
                }
            }
        }
        return byName;
    }

    @Test
    void everyTestNamedInTheSecurityDocumentExists() throws IOException {
        final String doc = Files.readString(ROOT.resolve("docs/security.md"));
        final Map<String, Path> sources = testSources();
        final Matcher m = NAMED.matcher(doc);
        final Set<String> classes = new LinkedHashSet<>();
        while (m.find()) {
            final String type = m.group(1);
            classes.add(type);
            assertThat(sources).as("test class %s named in docs/security.md", type).containsKey(type);
            if (m.group(2) != null) {
                final String source = read(sources.get(type));
                assertThat(source).as("%s.%s named in docs/security.md", type, m.group(2))
                        .containsPattern("void\\s+" + Pattern.quote(m.group(2)) + "\\s*\\(");
            }
        }
        // A document that names no test would pass the loop above without checking anything.
        assertThat(classes).as("tests named in docs/security.md").hasSizeGreaterThan(15);
    }

    @Test
    void theDocumentLinksTheAuthDocumentRatherThanRepeatingIt() throws IOException {
        final String doc = Files.readString(ROOT.resolve("docs/security.md"));
        assertThat(doc).contains("(security-auth.md");
        assertThat(List.of(ROOT.resolve("docs/security-auth.md"))).allMatch(Files::exists);
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
