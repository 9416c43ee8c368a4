package io.sitewire.gateway.bench.jmh;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.Arrays;

/** The inputs the benchmarks share: a typical alert and the partition space of a 6-partition deployment. */
final class Samples {

    static final StreamedTopics TOPICS = new StreamedTopics(TopicCatalogue.LIVE);

    private Samples() {
    }

    static Alert alert(final int n) {
        return Alert.newBuilder().setAlertId("p1-" + n).setType(AlertType.PROXIMITY).setPriority(Priority.EMERGENCY)
                .setState(AlertState.RAISED).setProjectId("p1").setWorkerId("w7").setEquipmentId("crane-2").setZone("north")
                .setRule("proximity.crane").setLimitSource("site rule 4.2").setMetric("distance_m").setValue(3.5 + n)
                .setLimit(5.0).setMessage("worker w7 within 3.5 m of crane-2").setSourceTime(1_700_000_000_000L + n)
                .setRaisedAt(1_700_000_000_100L + n).build();
    }

    /** Every streamed topic with {@code partitions} partitions. */
    static PartitionSpace space(final int partitions) {
        final int[] counts = new int[TOPICS.size()];
        Arrays.fill(counts, partitions);
        return new PartitionSpace(TOPICS, counts);
    }

    /** Positions in the millions, as on a long-running deployment (longer varints than small offsets). */
    static long[] positions(final PartitionSpace space) {
        final long[] p = space.empty();
        for (int i = 0; i < p.length; i++) {
            p[i] = 3_000_000L + 7_919L * i;
        }
        return p;
    }
}
