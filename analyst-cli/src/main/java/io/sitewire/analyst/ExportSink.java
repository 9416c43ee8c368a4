package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import io.sitewire.schemas.replay.RangeQuery;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Where exported records go: files of one format. Records arrive on one thread. */
public interface ExportSink extends Consumer<ReplayedRecord> {

    /** Flushes and closes every file; the caller then commits the {@link OutputFiles}. */
    void finish() throws IOException;

    /** Closes every file without raising (after a failure); partial files stay. */
    void abandon();

    /** Records written per final file ({@code -} for standard output). */
    Map<String, Long> counts();

    /**
     * Opens the files of an export: created now, with headers where the format has them.
     *
     * @param stdout standard output, for {@code --out -}; not closed
     */
    static ExportSink open(final ExportFormat format, final OutputFiles files, final Set<EventType> types,
            final RangeQuery query, final ExportOptions options, final OutputStream stdout) throws IOException {
        return switch (format) {
            case NDJSON -> new NdjsonExport(files, stdout);
            case CSV -> new CsvExport(files, types, options.formulaGuard(), stdout);
            case AVRO -> new AvroExport(files, types, query, options.avroCodec(), stdout);
        };
    }

    /** Settings of the formats. */
    record ExportOptions(boolean formulaGuard, String avroCodec) {
    }

    /** Counts per file name, in a stable order. */
    final class Counts {
        private final Map<String, long[]> byName = new LinkedHashMap<>();

        long[] add(final Path path) {
            return byName.computeIfAbsent(path == null ? "-" : path.toString(), k -> new long[1]);
        }

        Map<String, Long> snapshot() {
            final Map<String, Long> map = new LinkedHashMap<>();
            byName.forEach((k, v) -> map.put(k, v[0]));
            return map;
        }
    }
}
