package io.sitewire.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format under the clean schema of its class
 * ({@link AvroSchemas}), subject {@code <topic>-value} or {@code <topic>-key}. With {@code auto.register.schemas}
 * (default true) the schema is registered on first use, otherwise its id is looked up and a missing schema fails
 * with {@link SchemaNotRegisteredException}. A null record is written as null (a tombstone).
 *
 * <p>Thread-safe, as a producer's serializer must be. The schema id is cached per topic and class after the first
 * record, so the hot path makes no registry call and goes on while the registry is down; the encoder and its
 * buffer are reused per thread.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Buffers above this size are not kept for reuse, so one huge record does not pin memory per thread. */
    private static final int MAX_REUSED_BUFFER = 1 << 20;
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private final ConcurrentHashMap<Class<?>, Writer> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private Boolean isKey;
    private boolean autoRegister = true;

    /** For {@code key.serializer} / {@code value.serializer} in client properties: {@link #configure} sets it up. */
    public AvroSerializer() {
    }

    /** Ready to use without {@link #configure}; auto-registers schemas. */
    public AvroSerializer(final SchemaRegistryClient client, final boolean isKey) {
        this(client, isKey, true);
    }

    public AvroSerializer(final SchemaRegistryClient client, final boolean isKey, final boolean autoRegister) {
        this.client = client;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    /**
     * Reads {@code schema.registry.url} (and the other keys of {@link SchemaRegistryClients}) unless a client was
     * given to the constructor, and {@code auto.register.schemas}.
     */
    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        if (this.client == null) {
            this.client = SchemaRegistryClients.fromConfig(configs);
        }
        if (this.isKey == null) {
            this.isKey = isKey;
        }
        this.autoRegister = AvroSerdes.autoRegister(configs, autoRegister);
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer is not configured: pass a SchemaRegistryClient or call "
                    + "configure() with " + SchemaRegistryClients.URL);
        }
        final Writer writer = writerFor(topic, data.getClass());
        final int id = writer.idFor(topic);
        final Buffer buffer = BUFFERS.get();
        buffer.out.reset();
        buffer.out.write(WireFormat.MAGIC_BYTE);
        buffer.out.write(id >>> 24);
        buffer.out.write(id >>> 16);
        buffer.out.write(id >>> 8);
        buffer.out.write(id);
        try {
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
            writer.datumWriter.write(data, buffer.encoder);
            buffer.encoder.flush();
        } catch (final IOException | RuntimeException e) {
            // The encoder may hold half a record: start the next one from a fresh encoder.
            buffer.encoder = null;
            throw new UnwritableRecordException(topic, key(), "record of " + writer.typeName
                    + " cannot be written with its schema: " + e.getMessage(), e);
        }
        final byte[] bytes = buffer.out.toByteArray();
        if (buffer.out.capacity() > MAX_REUSED_BUFFER) {
            BUFFERS.remove();
        }
        return bytes;
    }

    @Override
    public byte[] serialize(final String topic, final Headers headers, final T data) {
        return serialize(topic, data);
    }

    @Override
    public void close() {
        // The client may be shared (SchemaRegistryClients), so it is not ours to close; nothing else is held.
    }

    private boolean key() {
        return Boolean.TRUE.equals(isKey);
    }

    private Writer writerFor(final String topic, final Class<?> type) {
        final Writer cached = writers.get(type);
        if (cached != null) {
            return cached;
        }
        @SuppressWarnings("unchecked")
        final Class<? extends SpecificRecord> recordType = (Class<? extends SpecificRecord>) type;
        final Schema clean;
        try {
            clean = AvroSchemas.forClass(recordType);
        } catch (final IllegalArgumentException e) {
            throw new UnwritableRecordException(topic, key(), e.getMessage(), e);
        }
        // The class's own schema writes the same bytes as the clean one (checked by AvroSchemas) and keeps the
        // generated class's custom encoders in play.
        final Writer writer = new Writer(clean, type.getName(),
                new SpecificDatumWriter<>(SpecificData.get().getSchema(type), SpecificData.getForClass(type)));
        final Writer raced = writers.putIfAbsent(type, writer);
        return raced != null ? raced : writer;
    }

    /** One class's schema and writer, with the schema's id per topic. */
    private final class Writer {

        final Schema schema;
        final String typeName;
        final SpecificDatumWriter<Object> datumWriter;
        final ConcurrentHashMap<String, Integer> idByTopic = new ConcurrentHashMap<>();

        Writer(final Schema schema, final String typeName, final SpecificDatumWriter<Object> datumWriter) {
            this.schema = schema;
            this.typeName = typeName;
            this.datumWriter = datumWriter;
        }

        int idFor(final String topic) {
            final Integer cached = idByTopic.get(topic);
            if (cached != null) {
                return cached;
            }
            final String subject = WireFormat.subject(topic, key());
            final int id;
            try {
                id = autoRegister ? client.register(subject, schema) : client.idOf(subject, schema);
            } catch (final SchemaRegistryException e) {
                throw translate(e, topic, subject);
            }
            idByTopic.putIfAbsent(topic, id);
            return id;
        }

        private AvroSerdeException translate(final SchemaRegistryException e, final String topic,
                final String subject) {
            if (!autoRegister && (e.isSubjectNotFound() || e.isSchemaNotFound())) {
                return new SchemaNotRegisteredException(topic, key(), "the schema of " + typeName
                        + " is not registered under subject '" + subject + "' in the schema registry at "
                        + e.url() + ", and auto.register.schemas is false (error_code " + e.errorCode() + ": "
                        + e.registryMessage() + ")", e);
            }
            if (autoRegister && !e.isUnreachable() && (e.isIncompatible() || e.httpStatus() == 422)) {
                return new SchemaRejectedException(topic, key(), "the schema registry at " + e.url()
                        + " rejected the schema of " + typeName + " under subject '" + subject + "': HTTP "
                        + e.httpStatus() + ", error_code " + e.errorCode() + ": " + e.registryMessage(), e);
            }
            return new RegistryUnavailableException(false, topic, key(), (autoRegister ? "registering" : "looking up")
                    + " the schema of " + typeName + " under subject '" + subject + "'", e);
        }
    }

    /** Per-thread output buffer and encoder; a serializer call never re-enters on the same thread. */
    private static final class Buffer {

        final ExposedOutput out = new ExposedOutput();
        BinaryEncoder encoder;
    }

    private static final class ExposedOutput extends ByteArrayOutputStream {

        ExposedOutput() {
            super(256);
        }

        int capacity() {
            return buf.length;
        }
    }
}
