package io.sitewire.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one documented JSON form of every Sitewire record: field names as in Avro (camelCase), optional
 * fields as plain values or null (not Avro's {"string": ...} union wrapping), enums as their symbol,
 * times as epoch milliseconds, bytes as base64. Used by the HTTP ingest and the WebSocket frames.
 *
 * <p>Parsing is strict: unknown fields, missing required fields, wrong types and unknown enum symbols
 * are all reported at once with their JSON path, so a device developer fixes a payload in one go.
 */
public final class AvroJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    static {
        io.sitewire.schemas.AvroTrust.install();
    }

    private AvroJson() {
    }

    /** The JSON form of a record as a compact string. */
    public static String toJson(final IndexedRecord record) {
        final StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(record, generator);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Streams the JSON form of a record into a generator (no intermediate tree: this is on the hot path). */
    public static void write(final IndexedRecord record, final JsonGenerator out) throws IOException {
        writeValue(record.getSchema(), record, out);
    }

    /** Parses the JSON form into a record of the given class, or throws {@link JsonFormException}. */
    public static <T extends SpecificRecord> T fromJson(final String json, final Class<T> type) {
        final JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JsonFormException(List.of("$: not valid JSON: " + e.getOriginalMessage()));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromJson(node, type);
    }

    /** Converts a JSON tree into a record of the given class, or throws {@link JsonFormException}. */
    public static <T extends SpecificRecord> T fromJson(final JsonNode node, final Class<T> type) {
        final Schema schema = SpecificData.get().getSchema(type);
        final List<String> errors = new ArrayList<>();
        final Object value = readValue(schema, node, "$", errors);
        if (!errors.isEmpty()) {
            throw new JsonFormException(errors);
        }
        return type.cast(value);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static void writeValue(final Schema schema, final Object value, final JsonGenerator out) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                final IndexedRecord record = (IndexedRecord) value;
                out.writeStartObject();
                for (final Schema.Field field : schema.getFields()) {
                    out.writeFieldName(field.name());
                    writeValue(field.schema(), record.get(field.pos()), out);
                }
                out.writeEndObject();
            }
            case UNION -> {
                if (value == null) {
                    out.writeNull();
                } else {
                    writeValue(schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)), value, out);
                }
            }
            case NULL -> out.writeNull();
            case STRING -> out.writeString(value.toString());
            case ENUM -> out.writeString(value instanceof GenericContainer || value instanceof Enum<?> ? value.toString() : String.valueOf(value));
            case INT -> out.writeNumber((Integer) value);
            case LONG -> out.writeNumber((Long) value);
            case FLOAT -> out.writeNumber((Float) value);
            case DOUBLE -> out.writeNumber((Double) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case BYTES -> {
                final ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                final byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeString(Base64.getEncoder().encodeToString(bytes));
            }
            case ARRAY -> {
                out.writeStartArray();
                for (final Object item : (Collection<?>) value) {
                    writeValue(schema.getElementType(), item, out);
                }
                out.writeEndArray();
            }
            case MAP -> {
                out.writeStartObject();
                for (final Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    out.writeFieldName(entry.getKey().toString());
                    writeValue(schema.getValueType(), entry.getValue(), out);
                }
                out.writeEndObject();
            }
            default -> throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
        }
    }

    private static Object readValue(final Schema schema, final JsonNode node, final String path, final List<String> errors) {
        switch (schema.getType()) {
            case RECORD -> {
                if (node == null || !node.isObject()) {
                    errors.add(path + ": expected an object (" + schema.getName() + ")");
                    return null;
                }
                final IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
                final Set<String> known = new java.util.LinkedHashSet<>(); // schema order, for readable errors
                for (final Schema.Field field : schema.getFields()) {
                    known.add(field.name());
                    final JsonNode child = node.get(field.name());
                    final String childPath = path + "." + field.name();
                    if (child == null || child.isMissingNode()) {
                        if (field.hasDefaultValue()) {
                            record.put(field.pos(), SpecificData.get().deepCopy(field.schema(), SpecificData.get().getDefaultValue(field)));
                        } else {
                            errors.add(childPath + ": required");
                        }
                        continue;
                    }
                    final Object value = readValue(field.schema(), child, childPath, errors);
                    if (value != null || child.isNull()) {
                        record.put(field.pos(), value); // after an error, leave the slot empty: the record is discarded
                    }
                }
                for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    final String name = names.next();
                    if (!known.contains(name)) {
                        errors.add(path + "." + name + ": unknown field (" + schema.getName() + " has " + known + ")");
                    }
                }
                return record;
            }
            case UNION -> {
                if (node.isNull()) {
                    if (schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                        return null;
                    }
                    errors.add(path + ": must not be null");
                    return null;
                }
                final Schema nonNull = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
                return readValue(nonNull, node, path, errors);
            }
            case STRING -> {
                if (!node.isTextual()) {
                    return typeError(path, "a string", node, errors);
                }
                return node.textValue();
            }
            case ENUM -> {
                if (!node.isTextual() || !schema.hasEnumSymbol(node.textValue())) {
                    errors.add(path + ": must be one of " + schema.getEnumSymbols() + ", got " + node);
                    return null;
                }
                return SpecificData.get().createEnum(node.textValue(), schema);
            }
            case INT -> {
                if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                    return typeError(path, "a 32-bit integer", node, errors);
                }
                return node.intValue();
            }
            case LONG -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    return typeError(path, "an integer (epoch milliseconds for times)", node, errors);
                }
                return node.longValue();
            }
            case FLOAT -> {
                if (!node.isNumber()) {
                    return typeError(path, "a number", node, errors);
                }
                return node.floatValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) {
                    return typeError(path, "a number", node, errors);
                }
                final double value = node.doubleValue();
                if (!Double.isFinite(value)) {
                    errors.add(path + ": must be a finite number");
                }
                return value;
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    return typeError(path, "true or false", node, errors);
                }
                return node.booleanValue();
            }
            case BYTES -> {
                if (!node.isTextual()) {
                    return typeError(path, "a base64 string", node, errors);
                }
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
                } catch (final IllegalArgumentException e) {
                    errors.add(path + ": not valid base64");
                    return null;
                }
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    return typeError(path, "an array", node, errors);
                }
                final List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(readValue(schema.getElementType(), node.get(i), path + "[" + i + "]", errors));
                }
                return items;
            }
            default -> {
                errors.add(path + ": Avro type " + schema.getType() + " has no JSON form");
                return null;
            }
        }
    }

    private static Object typeError(final String path, final String expected, final JsonNode node, final List<String> errors) {
        errors.add(path + ": expected " + expected + ", got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        return null;
    }
}
