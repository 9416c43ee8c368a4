package io.sitewire.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.json.AvroJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes each event as one line {@code {"type":"worker_position","data":{...}}}: the NDJSON form the gateway's
 * {@code POST /v1/events} accepts, so a recorded run can be replayed through the ingest. For looking at a scenario
 * without a broker ({@code --output -}).
 */
public final class JsonLinesSink implements EventSink {

    private final OutputStream stream;
    private final JsonGenerator json;
    private final boolean closeStream;

    public JsonLinesSink(final OutputStream stream, final boolean closeStream) {
        this.stream = stream;
        this.closeStream = closeStream;
        try {
            this.json = new JsonFactory().createGenerator(stream);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    @Override
    public void send(final List<? extends SpecificRecord> events, final Delivery delivery) {
        for (final SpecificRecord event : events) {
            try {
                json.writeStartObject();
                json.writeStringField("type", EventType.of(event).jsonName());
                json.writeFieldName("data");
                AvroJson.write((org.apache.avro.generic.IndexedRecord) event, json);
                json.writeEndObject();
                json.writeRaw('\n');
                delivery.delivered(event);
            } catch (final IOException | RuntimeException e) {
                delivery.failed(event, e);
            }
        }
        try {
            json.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean flush(final Duration timeout) {
        try {
            json.flush();
            stream.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    @Override
    public int inFlight() {
        return 0;
    }

    @Override
    public String describe() {
        return "NDJSON";
    }

    @Override
    public void close() {
        try {
            json.close();
            if (closeStream) {
                stream.close();
            } else {
                stream.flush();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
