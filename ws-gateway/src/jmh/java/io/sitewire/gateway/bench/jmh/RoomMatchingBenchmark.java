package io.sitewire.gateway.bench.jmh;

import io.sitewire.events.Alert;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.fanout.Hub;
import io.sitewire.gateway.fanout.CountingOutlet;
import io.sitewire.gateway.fanout.Subscription;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.RoomRouting;
import io.sitewire.gateway.routing.Routed;
import io.sitewire.schemas.json.AvroJson;
import java.util.List;
import java.util.Optional;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Room matching: a record's rooms ({@link RoomRouting}), then the hub's dispatch of it (members lookup per
 * room, the event and its per-room frames built once, one offer per member). Members are outlets that only
 * count, so this is the tailer's share of fan-out, without queues or sockets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoomMatchingBenchmark {

    /** Members of the record's project room (other rooms of the record have none). */
    @Param({"0", "1000"})
    public int members;

    private final Alert alert = Samples.alert(1);
    private final String json = AvroJson.toJson(alert);
    private PartitionSpace space;
    private Hub hub;
    private Routed routed;
    private long offset;

    @Setup
    public void setUp() {
        space = Samples.space(6);
        hub = new Hub(space);
        hub.start(space.empty());
        final Room room = Room.parse("project:p1").orElseThrow();
        for (int i = 0; i < members; i++) {
            hub.register(new Subscription(new CountingOutlet("c" + i), "s", List.of(room)), true, position -> { });
        }
        routed = RoomRouting.route(Samples.TOPICS.get(0), alert).orElseThrow();
    }

    /** The rooms of one alert (five here: project, worker, equipment, zone, management). */
    @Benchmark
    public Optional<Routed> route() {
        return RoomRouting.route(Samples.TOPICS.get(0), alert);
    }

    /** One record through the hub: rooms with members looked up, event and frames built, offered to each member. */
    @Benchmark
    public void dispatch(final Blackhole bh) {
        hub.dispatchBatch(d -> bh.consume(d.dispatch(0, offset++, routed, () -> json)));
    }
}
