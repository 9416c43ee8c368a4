package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import io.sitewire.schemas.registry.AvroSchemas;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** CSV export: one file per record type ({@link OutputFiles}), UTF-8, LF line ends, a header line first. */
final class CsvExport implements ExportSink {

    private final Map<EventType, Writer> writers = new EnumMap<>(EventType.class);
    private final Map<EventType, CsvFlattener> flatteners = new EnumMap<>(EventType.class);
    private final Map<EventType, long[]> counters = new EnumMap<>(EventType.class);
    private final ExportSink.Counts counts = new ExportSink.Counts();

    CsvExport(final OutputFiles files, final Set<EventType> types, final boolean formulaGuard,
            final java.io.OutputStream stdout) throws IOException {
        // One type per file: OutputFiles gives a single file (or stdout) only when there is a single type.
        for (final EventType type : types) {
            final Path path = files.stdout() ? null : files.pathFor(type);
            final Writer writer;
            if (path == null) {
                writer = new BufferedWriter(new OutputStreamWriter(NdjsonExport.unclosable(stdout), StandardCharsets.UTF_8), 1 << 16);
            } else {
                writer = new BufferedWriter(new OutputStreamWriter(OutputFiles.openPartial(path), StandardCharsets.UTF_8), 1 << 16);
            }
            final CsvFlattener flattener = new CsvFlattener(AvroSchemas.forClass(type.type()), formulaGuard);
            writer.write(CsvFlattener.line(flattener.header()));
            writer.write('\n');
            writers.put(type, writer);
            flatteners.put(type, flattener);
            counters.put(type, counts.add(path));
        }
    }

    @Override
    public void accept(final ReplayedRecord record) {
        final EventType type = record.type();
        final Writer writer = writers.get(type);
        if (writer == null) {
            throw new IllegalStateException("no CSV file for " + type.jsonName() + " records (planned: " + writers.keySet() + ")");
        }
        try {
            writer.write(CsvFlattener.line(flatteners.get(type).cells(record)));
            writer.write('\n');
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        counters.get(type)[0]++;
    }

    @Override
    public void finish() throws IOException {
        for (final Writer writer : writers.values()) {
            writer.close();
        }
    }

    @Override
    public void abandon() {
        for (final Writer writer : writers.values()) {
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
