package io.sitewire.schemas.provision;

import io.sitewire.schemas.registry.AvroSchemas;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Registers each topic's value schema under its subject with BACKWARD compatibility, before any producer
 * runs. Registries differ in their default (Apicurio: NONE), and without a pinned level an incompatible
 * change would be accepted and break every consumer still reading old records.
 */
public final class SchemaProvisioner {

    /** New readers must read old data: consumers replay history, so this is the level that matters here. */
    public static final String COMPATIBILITY = "BACKWARD";

    private final SchemaRegistryClient registry;

    public SchemaProvisioner(final SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** Returns one line per subject; throws with every incompatible subject named if any schema is refused. */
    public List<String> provision(final Collection<? extends TopicSpec<?>> topics) {
        final List<String> lines = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        for (final TopicSpec<?> topic : topics) {
            final String subject = topic.valueSubject();
            final Schema schema = AvroSchemas.forClass(topic.valueType());
            registry.setCompatibility(subject, COMPATIBILITY);
            if (!registry.isCompatible(subject, schema)) {
                refused.add(subject + " (" + topic.valueType().getSimpleName() + ")");
                continue;
            }
            lines.add(subject + " -> schema id " + registry.register(subject, schema));
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("the registry holds schemas that this build's schemas are not " + COMPATIBILITY
                    + " compatible with: " + String.join(", ", refused) + ". Evolve the .avsc compatibly (add fields with defaults).");
        }
        return lines;
    }
}
