package io.sitewire.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent schema registry REST API that Sitewire uses, for Avro schemas. Every failure is a
 * {@link SchemaRegistryException}. Implementations are thread-safe; answers that cannot change (an id's schema,
 * the id of a schema already registered under a subject) are cached, so serdes make no registry call per record
 * and keep working while the registry is down.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (a no-op returning the id when already there). */
    int register(String subject, Schema schema);

    /** The id of {@code schema} under {@code subject}, without registering it (40401 / 40403 when absent). */
    int idOf(String subject, Schema schema);

    /** The schema with this id (40403 when unknown). Cached forever: a schema id never changes meaning. */
    Schema byId(int id);

    /** The subject's version numbers, oldest first (40401 when the subject does not exist). */
    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered under {@code subject} now; true when the subject has no schema. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the subject's compatibility level: NONE, BACKWARD, FORWARD, FULL or one of those with _TRANSITIVE. */
    void setCompatibility(String subject, String level);

    /** Where this client points, for messages: an http(s) URL or {@code mem://name}. */
    String url();
}
