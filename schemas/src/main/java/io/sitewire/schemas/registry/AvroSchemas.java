package io.sitewire.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schemas we register: parsed from the {@code .avsc} sources shipped in the jar under {@code /avro/}, not
 * taken from the generated classes. With {@code stringType=String} a generated class's {@code getClassSchema()}
 * carries {@code "avro.java.string":"String"} on every string; registering that would hand a Java-only hint to
 * every non-Java reader. The sources are parsed with one {@link Schema.Parser} in dependency order (a type that
 * another file names, such as {@code Priority} or {@code WorkerStatus}, first), so each schema returned here is
 * self-contained: its {@code toString()} inlines every type it refers to.
 */
public final class AvroSchemas {

    static final String SOURCE_DIRECTORY = "avro/";

    private static final Set<String> PRIMITIVES =
            Set.of("null", "boolean", "int", "long", "float", "double", "bytes", "string");
    private static final Set<String> NAMED_TYPES = Set.of("record", "error", "enum", "fixed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ConcurrentHashMap<Class<?>, Schema> BY_CLASS = new ConcurrentHashMap<>();

    static {
        // Callers map these schemas to their generated classes (SpecificData.getClass), which Avro must trust.
        io.sitewire.schemas.AvroTrust.install();
    }

    private AvroSchemas() {
    }

    /**
     * The clean schema of a generated class, checked against the class (same parsing canonical form), so a jar
     * whose classes and sources disagree fails here rather than producing unreadable records.
     *
     * @throws IllegalArgumentException if no {@code /avro/*.avsc} defines the class's schema, or it differs
     */
    public static Schema forClass(final Class<? extends SpecificRecord> type) {
        final Schema cached = BY_CLASS.get(type);
        if (cached != null) {
            return cached;
        }
        final Schema classSchema = SpecificData.get().getSchema(type);
        final Schema clean = Loaded.TYPES.get(classSchema.getFullName());
        if (clean == null) {
            throw new IllegalArgumentException("No /" + SOURCE_DIRECTORY + "*.avsc source defines "
                    + classSchema.getFullName() + " (class " + type.getName() + "); found only "
                    + Loaded.TYPES.keySet());
        }
        if (SchemaNormalization.parsingFingerprint64(clean) != SchemaNormalization.parsingFingerprint64(classSchema)) {
            throw new IllegalArgumentException("The generated class " + type.getName()
                    + " does not match its .avsc source (stale build?): class " + SchemaNormalization.toParsingForm(
                    classSchema) + " vs source " + SchemaNormalization.toParsingForm(clean));
        }
        BY_CLASS.putIfAbsent(type, clean);
        return clean;
    }

    /** Every named type (records and enums) defined by the sources, by full name, as parsed from them. */
    public static Map<String, Schema> all() {
        return Loaded.TYPES;
    }

    /** Holder idiom: the sources are read once, on first use, and the result is immutable. */
    private static final class Loaded {
        static final Map<String, Schema> TYPES = parseInDependencyOrder(readSources());
    }

    /** Parses {@code file name -> JSON text} with one parser, each file after the files whose types it names. */
    static Map<String, Schema> parseInDependencyOrder(final Map<String, String> sources) {
        final Schema.Parser parser = new Schema.Parser();
        for (final String file : dependencyOrder(sources)) {
            try {
                parser.parse(sources.get(file));
            } catch (final RuntimeException e) {
                throw new IllegalStateException("Cannot parse /" + SOURCE_DIRECTORY + file + ": " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableMap(new TreeMap<>(parser.getTypes()));
    }

    /** File names sorted so that a file comes after every file defining a type it refers to. */
    static List<String> dependencyOrder(final Map<String, String> sources) {
        final Map<String, String> definedIn = new HashMap<>();
        final Map<String, Set<String>> references = new TreeMap<>();
        for (final Map.Entry<String, String> source : sources.entrySet()) {
            final Set<String> defines = new TreeSet<>();
            final Set<String> refs = new TreeSet<>();
            try {
                walk(JSON.readTree(source.getValue()), "", defines, refs);
            } catch (final IOException e) {
                throw new IllegalStateException("/" + SOURCE_DIRECTORY + source.getKey() + " is not JSON: "
                        + e.getMessage(), e);
            }
            defines.forEach(name -> definedIn.put(name, source.getKey()));
            refs.removeAll(defines);
            references.put(source.getKey(), refs);
        }
        final Map<String, Set<String>> dependsOn = new TreeMap<>();
        references.forEach((file, refs) -> {
            final Set<String> files = new TreeSet<>();
            for (final String ref : refs) {
                final String other = definedIn.get(ref);
                if (other != null && !other.equals(file)) {
                    files.add(other);
                }
                // An undefined name is left for the parser, whose error names it better than we could.
            }
            dependsOn.put(file, files);
        });
        final List<String> order = new ArrayList<>();
        while (!dependsOn.isEmpty()) {
            final String next = dependsOn.entrySet().stream()
                    .filter(e -> order.containsAll(e.getValue()))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("Cyclic references between /" + SOURCE_DIRECTORY
                            + " sources: " + dependsOn));
            order.add(next);
            dependsOn.remove(next);
        }
        return order;
    }

    /** Collects the full names a schema JSON defines and the full names it refers to. */
    private static void walk(final JsonNode node, final String namespace, final Set<String> defines,
            final Set<String> refs) {
        if (node.isTextual()) {
            if (!PRIMITIVES.contains(node.asText())) {
                refs.add(qualify(node.asText(), namespace));
            }
        } else if (node.isArray()) {
            node.forEach(member -> walk(member, namespace, defines, refs));
        } else if (node.isObject()) {
            final JsonNode type = node.path("type");
            if (!type.isTextual()) {
                walk(type, namespace, defines, refs);
            } else if (NAMED_TYPES.contains(type.asText())) {
                final String name = node.path("name").asText();
                final String full = qualify(name, node.has("namespace") && !name.contains(".")
                        ? node.get("namespace").asText() : namespace);
                defines.add(full);
                final String inner = full.contains(".") ? full.substring(0, full.lastIndexOf('.')) : "";
                node.path("fields").forEach(field -> walk(field.path("type"), inner, defines, refs));
            } else if ("array".equals(type.asText())) {
                walk(node.path("items"), namespace, defines, refs);
            } else if ("map".equals(type.asText())) {
                walk(node.path("values"), namespace, defines, refs);
            } else {
                walk(type, namespace, defines, refs);
            }
        }
    }

    private static String qualify(final String name, final String namespace) {
        return name.contains(".") || namespace.isEmpty() ? name : namespace + "." + name;
    }

    /**
     * Reads every {@code avro/*.avsc} next to this class: a class path entry cannot be listed through the class
     * loader, so we list the directory or jar this class was loaded from (the sources ship in the same jar).
     */
    private static Map<String, String> readSources() {
        final URL location = AvroSchemas.class.getProtectionDomain().getCodeSource().getLocation();
        final Map<String, String> sources = new LinkedHashMap<>();
        try {
            final Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path.resolve(SOURCE_DIRECTORY))) {
                    for (final Path file : (Iterable<Path>) files.sorted()::iterator) {
                        if (file.getFileName().toString().endsWith(".avsc")) {
                            sources.put(file.getFileName().toString(), Files.readString(file));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(path.toFile())) {
                    for (final JarEntry entry : Collections.list(jar.entries())) {
                        final String name = entry.getName();
                        if (name.startsWith(SOURCE_DIRECTORY) && name.endsWith(".avsc")
                                && name.indexOf('/', SOURCE_DIRECTORY.length()) < 0) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                sources.put(name.substring(SOURCE_DIRECTORY.length()),
                                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read the Avro sources under " + location + SOURCE_DIRECTORY, e);
        } catch (final URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot list the Avro sources under " + location, e);
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException("No " + SOURCE_DIRECTORY + "*.avsc found under " + location);
        }
        return sources;
    }
}
