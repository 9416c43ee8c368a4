package io.sitewire.gateway.bench.jmh;

import io.sitewire.gateway.cursor.PartitionSpace;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cursor encoding (once per dispatched record that has members, and per frame of a connection whose queue
 * holds older frames) and decoding (per resume, and per event whose positions a lagging outbox needs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CursorCodecBenchmark {

    /** Partitions per streamed topic. */
    @Param({"6", "48"})
    public int partitions;

    private PartitionSpace space;
    private long[] positions;
    private String cursor;

    @Setup
    public void setUp() {
        space = Samples.space(partitions);
        positions = Samples.positions(space);
        cursor = space.encode(positions);
    }

    @Benchmark
    public String encode() {
        return space.encode(positions);
    }

    @Benchmark
    public long[] decode() {
        return space.decode(cursor);
    }
}
