package io.sitewire.schemas.registry;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro into a generated class: the writer schema is fetched by the id in the payload
 * (cached forever) and resolved against the class's schema, so records written with an older or newer compatible
 * schema read fine. The class is the one given, or {@code specific.avro.key.type} / {@code specific.avro.value.type}
 * from config, or else the generated class named by the writer schema. A null payload reads as null (a tombstone).
 *
 * <p>Every failure is an {@link AvroSerdeException} subclass naming the topic: {@link WrongMagicByteException},
 * {@link TruncatedPayloadException}, {@link UnknownSchemaIdException}, {@link MalformedPayloadException},
 * {@link SchemaMismatchException}, {@link RegistryUnavailableException}. Thread-safe (a Streams serde is shared by
 * all stream threads); one resolving reader is cached per writer schema id, and decoders are reused per thread.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    static {
        io.sitewire.schemas.AvroTrust.install();
    }

    private final ConcurrentHashMap<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private Class<T> type;
    private SchemaRegistryClient client;
    private Boolean isKey;

    /** For {@code key.deserializer} / {@code value.deserializer} in client properties: {@link #configure}. */
    public AvroDeserializer() {
    }

    /** Ready to use without {@link #configure}; reads into {@code type}, or (null) the class the writer names. */
    public AvroDeserializer(final Class<T> type, final SchemaRegistryClient client, final boolean isKey) {
        this.type = type;
        this.client = client;
        this.isKey = isKey;
    }

    /**
     * Reads {@code schema.registry.url} (see {@link SchemaRegistryClients}) unless a client was given, and the
     * target class from {@code specific.avro.key.type} / {@code specific.avro.value.type} unless one was given.
     */
    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (this.client == null) {
            this.client = SchemaRegistryClients.fromConfig(configs);
        }
        if (this.isKey == null) {
            this.isKey = isKey;
        }
        if (this.type == null) {
            this.type = AvroSerdes.specificType(configs, this.isKey);
        }
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        return data == null ? null : decode(topic, data, 0, data.length);
    }

    @Override
    public T deserialize(final String topic, final Headers headers, final byte[] data) {
        return deserialize(topic, data);
    }

    /** The consumer's path: reads straight from the fetched buffer instead of copying it into an array first. */
    @Override
    public T deserialize(final String topic, final Headers headers, final ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return decode(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        final byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return decode(topic, copy, 0, copy.length);
    }

    @Override
    public void close() {
        // The client may be shared (SchemaRegistryClients), so it is not ours to close.
    }

    private T decode(final String topic, final byte[] bytes, final int offset, final int length) {
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: pass a SchemaRegistryClient or call "
                    + "configure() with " + SchemaRegistryClients.URL);
        }
        if (length < WireFormat.HEADER_SIZE) {
            if (length > 0 && bytes[offset] != WireFormat.MAGIC_BYTE) {
                throw new WrongMagicByteException(topic, key(), bytes[offset], length);
            }
            throw new TruncatedPayloadException(topic, key(), "payload has " + length + " byte"
                    + (length == 1 ? "" : "s") + ", fewer than the 5-byte Confluent header (magic byte 0x00 and a "
                    + "4-byte schema id)", null);
        }
        if (bytes[offset] != WireFormat.MAGIC_BYTE) {
            throw new WrongMagicByteException(topic, key(), bytes[offset], length);
        }
        final int id = WireFormat.readInt(bytes, offset + 1);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = readerFor(topic, id);
        }
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset + WireFormat.HEADER_SIZE,
                length - WireFormat.HEADER_SIZE, DECODERS.get());
        DECODERS.set(decoder);
        try {
            final T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedPayloadException(topic, key(), "bytes left over after a complete record of "
                        + describe(id, reader.getSchema()) + " (payload " + length + " bytes): the payload was "
                        + "not written with this schema", null);
            }
            return value;
        } catch (final EOFException e) {
            throw new TruncatedPayloadException(topic, key(), "Avro data ends early: the payload (" + length
                    + " bytes) stops before a complete record of " + describe(id, reader.getSchema()), e);
        } catch (final IOException | RuntimeException e) {
            if (e instanceof AvroSerdeException serdeException) {
                throw serdeException;
            }
            throw new MalformedPayloadException(topic, key(), "Avro data is not a valid record of "
                    + describe(id, reader.getSchema()) + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(final String topic, final int id) {
        final Schema writer;
        try {
            writer = client.byId(id);
        } catch (final SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new UnknownSchemaIdException(topic, key(), id, e);
            }
            throw new RegistryUnavailableException(true, topic, key(), "fetching writer schema id " + id, e);
        }
        final Class<T> target = targetFor(topic, id, writer);
        final Schema readerSchema = SpecificData.get().getSchema(target);
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SchemaMismatchException(topic, key(), "writer " + describe(id, writer)
                    + " cannot be read as " + target.getName() + ": "
                    + compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                    .collect(Collectors.joining("; ")));
        }
        final SpecificDatumReader<T> reader =
                new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(target));
        final SpecificDatumReader<T> raced = readers.putIfAbsent(id, reader);
        return raced != null ? raced : reader;
    }

    @SuppressWarnings("unchecked")
    private Class<T> targetFor(final String topic, final int id, final Schema writer) {
        if (type != null) {
            return type;
        }
        final Class<?> generated = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
        if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
            throw new SchemaMismatchException(topic, key(), "writer " + describe(id, writer)
                    + " has no generated SpecificRecord class on the class path, and no "
                    + (key() ? AvroSerdes.SPECIFIC_KEY_TYPE : AvroSerdes.SPECIFIC_VALUE_TYPE) + " is set");
        }
        return (Class<T>) generated;
    }

    private boolean key() {
        return Boolean.TRUE.equals(isKey);
    }

    private static String describe(final int id, final Schema schema) {
        return "schema id " + id + " (" + schema.getFullName() + ")";
    }
}
