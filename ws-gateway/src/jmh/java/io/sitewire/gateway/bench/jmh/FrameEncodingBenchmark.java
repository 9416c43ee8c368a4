package io.sitewire.gateway.bench.jmh;

import io.sitewire.events.Alert;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.json.AvroJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Record to frame text, the work the tailer does once per record (data JSON) and once per room (prefix and
 * the shared text), never per connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameEncodingBenchmark {

    private final Alert alert = Samples.alert(1);
    private final String dataJson = AvroJson.toJson(alert);
    private final String cursor = Samples.space(6).encode(Samples.positions(Samples.space(6)));

    /** The record's data as JSON (Avro to JSON, once per record). */
    @Benchmark
    public String recordToJson() {
        return AvroJson.toJson(alert);
    }

    /** One room's frame from the record's JSON: prefix (room, priority, type, time, pos) + cursor + suffix. */
    @Benchmark
    public String frameForOneRoom() {
        final String prefix = Frames.eventPrefix("project:p1", alert.getPriority(), EventType.ALERT, alert.getRaisedAt(),
                Frames.pos(0, 3, 3_000_017L));
        return prefix + cursor + Frames.eventSuffix(dataJson);
    }

    /** The whole record-to-frame path for one room (what a record costs the tailer before fan-out). */
    @Benchmark
    public String recordToFrame() {
        final String json = AvroJson.toJson(alert);
        final String prefix = Frames.eventPrefix("project:p1", alert.getPriority(), EventType.ALERT, alert.getRaisedAt(),
                Frames.pos(0, 3, 3_000_017L));
        return prefix + cursor + Frames.eventSuffix(json);
    }
}
