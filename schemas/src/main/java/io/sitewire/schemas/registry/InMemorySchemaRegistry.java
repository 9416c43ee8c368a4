package io.sitewire.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A real schema registry held in memory, behaving like the HTTP one (same ids for the same schema text across
 * subjects, versions per subject, per-subject compatibility checked with Avro's {@link SchemaCompatibility}, the
 * same error codes in {@link SchemaRegistryException}), for tests that run without a broker or a registry, such
 * as TopologyTestDriver tests. The default compatibility is BACKWARD, as in Confluent's registry.
 *
 * <p>{@link #named(String)} gives the instance shared under a name, which is what {@code schema.registry.url =
 * mem://NAME} resolves to, so that a test and the serdes that Kafka Streams creates from config see one registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final ConcurrentHashMap<String, InMemorySchemaRegistry> NAMED = new ConcurrentHashMap<>();
    private static final AtomicInteger ANONYMOUS = new AtomicInteger();

    private final String url;
    private final Object lock = new Object();
    /** Read without the lock on the hot path (byId); written under it. */
    private final ConcurrentHashMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, Level> levelBySubject = new HashMap<>();
    private Level defaultLevel = Level.BACKWARD;
    private int nextId = 1;

    /** An unnamed registry, private to its holder. */
    public InMemorySchemaRegistry() {
        this("mem://anonymous-" + ANONYMOUS.incrementAndGet());
    }

    private InMemorySchemaRegistry(final String url) {
        this.url = url;
    }

    /** The registry shared under {@code name} in this JVM (created on first use). */
    public static InMemorySchemaRegistry named(final String name) {
        Objects.requireNonNull(name, "name");
        return NAMED.computeIfAbsent(name, n -> new InMemorySchemaRegistry("mem://" + n));
    }

    /** Forgets the registry shared under {@code name}, so the next {@link #named} starts empty. */
    public static void drop(final String name) {
        NAMED.remove(name);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final String text = schema.toString();
        synchronized (lock) {
            final List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
            final Integer existing = idsBySchemaText.get(text);
            if (existing != null && versions.contains(existing)) {
                return existing;
            }
            final List<String> problems = incompatibilities(subject, schema);
            if (!problems.isEmpty()) {
                throw SchemaRegistryException.rejected(url, "register schema", subject, 409,
                        SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema under "
                                + levelOf(subject) + ": " + String.join("; ", problems));
            }
            final int id = existing != null ? existing : nextId++;
            idsBySchemaText.put(text, id);
            schemasById.put(id, schema);
            versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
            return id;
        }
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        synchronized (lock) {
            final List<Integer> versions = versionsBySubject.get(subject);
            if (versions == null) {
                throw subjectNotFound("look up schema", subject);
            }
            final Integer id = idsBySchemaText.get(schema.toString());
            if (id == null || !versions.contains(id)) {
                throw SchemaRegistryException.rejected(url, "look up schema", subject, 404,
                        SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject " + subject);
            }
            return id;
        }
    }

    @Override
    public Schema byId(final int id) {
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryException.rejected(url, "get schema id " + id, null, 404,
                    SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found.");
        }
        return schema;
    }

    @Override
    public List<Integer> versions(final String subject) {
        synchronized (lock) {
            final List<Integer> ids = versionsBySubject.get(subject);
            if (ids == null) {
                throw subjectNotFound("list versions", subject);
            }
            final List<Integer> versions = new ArrayList<>(ids.size());
            for (int v = 1; v <= ids.size(); v++) {
                versions.add(v);
            }
            return List.copyOf(versions);
        }
    }

    @Override
    public boolean isCompatible(final String subject, final Schema schema) {
        synchronized (lock) {
            return incompatibilities(subject, schema).isEmpty();
        }
    }

    @Override
    public void setCompatibility(final String subject, final String level) {
        final Level parsed = Level.parse(level, url, subject);
        synchronized (lock) {
            levelBySubject.put(subject, parsed);
        }
    }

    /** The level for subjects that have none of their own (BACKWARD unless changed). */
    public void setDefaultCompatibility(final String level) {
        final Level parsed = Level.parse(level, url, null);
        synchronized (lock) {
            defaultLevel = parsed;
        }
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistry[" + url + "]";
    }

    private Level levelOf(final String subject) {
        return levelBySubject.getOrDefault(subject, defaultLevel);
    }

    /** Why {@code candidate} may not join the subject under its level; empty when it may. Called under the lock. */
    private List<String> incompatibilities(final String subject, final Schema candidate) {
        final List<Integer> ids = versionsBySubject.getOrDefault(subject, List.of());
        final Level level = levelOf(subject);
        if (ids.isEmpty() || level == Level.NONE) {
            return List.of();
        }
        final List<Integer> against = level.transitive ? ids : ids.subList(ids.size() - 1, ids.size());
        final List<String> problems = new ArrayList<>();
        for (final int id : against) {
            final Schema existing = schemasById.get(id);
            if (level.backward) {
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
                        "new schema cannot read schema id " + id));
            }
            if (level.forward) {
                problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate),
                        "schema id " + id + " cannot read the new schema"));
            }
        }
        return problems;
    }

    private static List<String> describe(final SchemaCompatibility.SchemaPairCompatibility result,
            final String direction) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map((Incompatibility i) -> direction + ": " + i.getType() + " at " + i.getLocation() + " ("
                        + i.getMessage() + ")")
                .collect(Collectors.toList());
    }

    private SchemaRegistryException subjectNotFound(final String operation, final String subject) {
        return SchemaRegistryException.rejected(url, operation, subject, 404,
                SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    private enum Level {
        NONE(false, false, false),
        BACKWARD(true, false, false),
        BACKWARD_TRANSITIVE(true, false, true),
        FORWARD(false, true, false),
        FORWARD_TRANSITIVE(false, true, true),
        FULL(true, true, false),
        FULL_TRANSITIVE(true, true, true);

        final boolean backward;
        final boolean forward;
        final boolean transitive;

        Level(final boolean backward, final boolean forward, final boolean transitive) {
            this.backward = backward;
            this.forward = forward;
            this.transitive = transitive;
        }

        static Level parse(final String level, final String url, final String subject) {
            try {
                return valueOf(Objects.requireNonNull(level, "level").toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw SchemaRegistryException.rejected(url, "set compatibility " + level, subject, 422,
                        SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level: " + level);
            }
        }
    }
}
