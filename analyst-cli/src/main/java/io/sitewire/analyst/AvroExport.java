package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import io.sitewire.schemas.registry.AvroSchemas;
import io.sitewire.schemas.replay.RangeQuery;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro export: one object container file per record type, whose schema is the type's clean schema (the one registered,
 * {@link AvroSchemas}), readable by any Avro tool. The record positions (topic, partition, offset, timestamp) are not
 * part of the schema, so they are not in these files; the query is in the file metadata ({@code sitewire.query}).
 */
final class AvroExport implements ExportSink {

    /** File metadata keys. */
    static final String META_QUERY = "sitewire.query";
    static final String META_TYPE = "sitewire.type";

    private final Map<EventType, DataFileWriter<SpecificRecord>> writers = new EnumMap<>(EventType.class);
    private final Map<EventType, long[]> counters = new EnumMap<>(EventType.class);
    private final ExportSink.Counts counts = new ExportSink.Counts();

    AvroExport(final OutputFiles files, final Set<EventType> types, final RangeQuery query, final String codec,
            final OutputStream stdout) throws IOException {
        final CodecFactory codecFactory = CodecFactory.fromString(codec);
        for (final EventType type : types) {
            final Path path = files.stdout() ? null : files.pathFor(type);
            final Schema schema = AvroSchemas.forClass(type.type());
            final DataFileWriter<SpecificRecord> writer = new DataFileWriter<>(new SpecificDatumWriter<>(schema));
            writer.setCodec(codecFactory);
            writer.setMeta(META_QUERY, query.describe());
            writer.setMeta(META_TYPE, type.jsonName());
            writer.create(schema, path == null ? NdjsonExport.unclosable(stdout) : OutputFiles.openPartial(path));
            writers.put(type, writer);
            counters.put(type, counts.add(path));
        }
    }

    @Override
    public void accept(final ReplayedRecord record) {
        final EventType type = record.type();
        final DataFileWriter<SpecificRecord> writer = writers.get(type);
        if (writer == null) {
            throw new IllegalStateException("no Avro file for " + type.jsonName() + " records (planned: " + writers.keySet() + ")");
        }
        try {
            writer.append(record.value());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        counters.get(type)[0]++;
    }

    @Override
    public void finish() throws IOException {
        for (final DataFileWriter<SpecificRecord> writer : writers.values()) {
            writer.close();
        }
    }

    @Override
    public void abandon() {
        for (final DataFileWriter<SpecificRecord> writer : writers.values()) {
            try {
                writer.close();
            } catch (final IOException | RuntimeException e) {
                // already failing: the first error is the one reported
            }
        }
    }

    @Override
    public Map<String, Long> counts() {
        return counts.snapshot();
    }
}
