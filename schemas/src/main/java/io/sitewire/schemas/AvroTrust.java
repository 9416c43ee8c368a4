package io.sitewire.schemas;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes it does not trust (a defence against payloads naming
 * arbitrary classes). Sitewire trusts exactly its own generated event classes and enums, nothing wider.
 */
public final class AvroTrust {

    private static volatile boolean installed;

    private AvroTrust() {
    }

    /** Adds Sitewire's generated classes to Avro's global trust list; idempotent and cheap after the first call. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (installed) {
                return;
            }
            final ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
            final Set<String> seen = new HashSet<>();
            for (final EventType type : EventType.values()) {
                collect(SpecificData.get().getSchema(type.type()), ours, seen);
            }
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours.build()));
            installed = true;
        }
    }

    private static void collect(final Schema schema, final ClassSecurityValidator.Builder ours, final Set<String> seen) {
        switch (schema.getType()) {
            case RECORD, ENUM -> {
                if (seen.add(schema.getFullName())) {
                    ours.add(schema.getFullName());
                    if (schema.getType() == Schema.Type.RECORD) {
                        schema.getFields().forEach(f -> collect(f.schema(), ours, seen));
                    }
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collect(t, ours, seen));
            case ARRAY -> collect(schema.getElementType(), ours, seen);
            case MAP -> collect(schema.getValueType(), ours, seen);
            default -> {
                // primitives need no trust
            }
        }
    }
}
