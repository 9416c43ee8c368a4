package io.sitewire.schemas.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sitewire.schemas.json.AvroJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes replayed records as NDJSON (UTF-8, one JSON object per line, {@code \n}-terminated), the form of the
 * {@code GET /v1/replay} response and of {@code sitewire-replay export --format ndjson}:
 *
 * <pre>
 * {"topic":"sitewire.alerts.emergency","partition":2,"offset":41,"timestamp":1764057600123,"key":"tower-7","type":"alert","data":{...}}
 * ...
 * {"summary":{"query":"...","read":120,"matched":3,...,"complete":true}}
 * </pre>
 *
 * {@code data} is the record in its {@link AvroJson} form. The summary line is written only by {@link #writeSummary}:
 * an HTTP response ends with it, so a reader knows the stream is whole ({@code "complete":true}) or was cut short
 * ({@code "complete":false} and {@code "error"}); a line that is not there means the connection broke.
 *
 * <p>Not thread-safe. The stream is neither closed nor flushed per record (a servlet stream buffers, and a flush per
 * record would make a syscall of each); call {@link #flush} when the consumer should see what was written so far.
 */
public final class NdjsonRangeWriter implements Consumer<ReplayedRecord>, AutoCloseable {

    // No separator between root values: every line ends with its own '\n' instead.
    private static final JsonFactory JSON = new JsonFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .setRootValueSeparator(null);

    private final JsonGenerator out;
    private long written;

    public NdjsonRangeWriter(final OutputStream stream) {
        try {
            this.out = JSON.createGenerator(stream);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one record line; an I/O failure (the client went away) is an {@link UncheckedIOException}. */
    @Override
    public void accept(final ReplayedRecord record) {
        try {
            out.writeStartObject();
            out.writeStringField("topic", record.topic());
            out.writeNumberField("partition", record.partition());
            out.writeNumberField("offset", record.offset());
            out.writeNumberField("timestamp", record.timestamp());
            out.writeStringField("key", record.key());
            out.writeStringField("type", record.type().jsonName());
            out.writeFieldName("data");
            AvroJson.write(record.value(), out);
            out.writeEndObject();
            out.writeRaw('\n');
            written++;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trailing line of a read that ended normally (end of range or limit). Flushes. */
    public void writeSummary(final RangeSummary summary) {
        writeSummary(summary, null);
    }

    /** The trailing line of a read; {@code error} non-null when it was cut short (what stopped it). Flushes. */
    public void writeSummary(final RangeSummary summary, final String error) {
        try {
            summary.writeJson(out, error);
            out.writeRaw('\n');
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Record lines written. */
    public long written() {
        return written;
    }

    /** Pushes what was written to the stream and flushes it. */
    public void flush() {
        try {
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flushes; does not close the stream (it belongs to the caller). */
    @Override
    public void close() {
        try {
            out.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
