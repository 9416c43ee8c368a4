package io.sitewire.schemas.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** Factories for the Avro serdes, and the serde config keys (the registry keys are in {@link SchemaRegistryClients}). */
public final class AvroSerdes {

    /** Register the record's schema on first use (default true); false looks it up and fails if it is missing. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Class the key deserializer reads into (a generated SpecificRecord); default: named by the writer schema. */
    public static final String SPECIFIC_KEY_TYPE = "specific.avro.key.type";
    /** Class the value deserializer reads into (a generated SpecificRecord); default: named by the writer schema. */
    public static final String SPECIFIC_VALUE_TYPE = "specific.avro.value.type";

    private AvroSerdes() {
    }

    /** A serde for {@code type} on top of {@code client}; auto-registers schemas. */
    public static <T extends SpecificRecord> AvroSerde<T> forClass(final Class<T> type,
            final SchemaRegistryClient client, final boolean isKey) {
        return forClass(type, client, isKey, true);
    }

    public static <T extends SpecificRecord> AvroSerde<T> forClass(final Class<T> type,
            final SchemaRegistryClient client, final boolean isKey, final boolean autoRegister) {
        // Fails now, not on the first record, if the class has no clean schema.
        AvroSchemas.forClass(type);
        return new AvroSerde<>(new AvroSerializer<>(client, isKey, autoRegister),
                new AvroDeserializer<>(type, client, isKey));
    }

    /**
     * A serde for any generated record: it writes each record under its own class's schema, and reads each into
     * the generated class its writer schema names (for a topic that carries several types, or a tool that reads
     * many topics).
     */
    public static AvroSerde<SpecificRecord> forGeneratedClasses(final SchemaRegistryClient client,
            final boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, isKey), new AvroDeserializer<>(null, client, isKey));
    }

    /** A serde for {@code type} with the client that {@code config} describes (shared, see SchemaRegistryClients). */
    public static <T extends SpecificRecord> AvroSerde<T> forClass(final Class<T> type, final Map<String, ?> config,
            final boolean isKey) {
        return forClass(type, SchemaRegistryClients.fromConfig(config), isKey, autoRegister(config, true));
    }

    static boolean autoRegister(final Map<String, ?> config, final boolean defaultValue) {
        final Object value = config.get(AUTO_REGISTER_SCHEMAS);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        final String text = value.toString().strip();
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(AUTO_REGISTER_SCHEMAS, value, "must be true or false");
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> specificType(final Map<String, ?> config, final boolean isKey) {
        final String key = isKey ? SPECIFIC_KEY_TYPE : SPECIFIC_VALUE_TYPE;
        final Object value = config.get(key);
        if (value == null) {
            return null;
        }
        final Class<?> type;
        if (value instanceof Class<?> c) {
            type = c;
        } else {
            try {
                type = Class.forName(value.toString().strip(), true, Thread.currentThread().getContextClassLoader()
                        != null ? Thread.currentThread().getContextClassLoader() : AvroSerdes.class.getClassLoader());
            } catch (final ClassNotFoundException e) {
                throw new ConfigException(key, value, "no such class on the class path");
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, value, "is not a generated Avro SpecificRecord class");
        }
        return (Class<T>) type;
    }
}
