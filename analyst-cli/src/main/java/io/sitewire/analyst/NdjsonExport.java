package io.sitewire.analyst;

import io.sitewire.schemas.replay.NdjsonRangeWriter;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/** NDJSON export: every record in one file, in the form of {@link NdjsonRangeWriter} (no summary line in files). */
final class NdjsonExport implements ExportSink {

    private final OutputStream stream;
    private final NdjsonRangeWriter writer;
    private final ExportSink.Counts counts = new ExportSink.Counts();
    private final long[] count;

    NdjsonExport(final OutputFiles files, final OutputStream stdout) throws IOException {
        final Path path = files.stdout() ? null : files.finalPaths().get(0);
        this.stream = new BufferedOutputStream(path == null ? unclosable(stdout) : OutputFiles.openPartial(path), 1 << 16);
        this.writer = new NdjsonRangeWriter(stream);
        this.count = counts.add(path);
    }

    @Override
    public void accept(final ReplayedRecord record) {
        writer.accept(record);
        count[0]++;
    }

    @Override
    public void finish() throws IOException {
        writer.close();
        stream.close();
    }

    @Override
    public void abandon() {
        try {
            finish();
        } catch (final IOException | RuntimeException e) {
            // already failing: the first error is the one reported
        }
    }

    @Override
    public Map<String, Long> counts() {
        return counts.snapshot();
    }

    /** Standard output is flushed, never closed: the CLI still prints to it. */
    static OutputStream unclosable(final OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
