package io.sitewire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bench client's accounting from the frames it gets (no gateway needed): duplicates, out of order, frames not
 * received, and which of those are certainly lost rather than still queued.
 */
class BenchClientTest {

    private final Tally tally = new Tally();
    private final AtomicInteger nextSeq = new AtomicInteger();
    private final Fleet fleet = new Fleet(URI.create("ws://127.0.0.1:1/v1/stream"), "token", tally, nextSeq::get, false, 0, 10);

    @AfterEach
    void closeFleet() throws Exception {
        fleet.close();
    }

    private BenchClient subscribedClient(final int index) {
        final BenchClient c = new BenchClient(index, "project:bench", null, tally, fleet);
        c.onText("{\"op\":\"subscribed\",\"id\":\"b" + index + "\",\"cursor\":\"c0\"}");
        return c;
    }

    private static String event(final int seq, final long offset) {
        return "{\"op\":\"event\",\"room\":\"project:bench\",\"priority\":\"HIGH\",\"type\":\"alert\",\"eventTime\":1000,"
                + "\"pos\":\"2-0-" + offset + "\",\"cursor\":\"c" + offset + "\",\"data\":{\"alertId\":\"storm:" + seq
                + "\",\"sourceTime\":1000}}";
    }

    private void produced(final int... seqs) {
        for (final int s : seqs) {
            tally.produced(s);
        }
    }

    @Test
    void aFrameBehindALaterOneOfItsPartitionIsLostAndOneNotYetSeenAnywhereMayBeQueued() {
        // Given alerts 0..3 acknowledged at offsets 10..13, and a client subscribed before them
        final BenchClient client = subscribedClient(0);
        final BenchClient other = subscribedClient(1);
        produced(0, 1, 2, 3);
        other.onText(event(1, 11)); // tells where alert 1 went

        // When the client gets alerts 0 and 2 only (1 was skipped, 3 has not arrived anywhere)
        client.onText(event(0, 10));
        client.onText(event(2, 12));

        // Then two are not received, of which only alert 1 is certainly lost
        assertThat(client.missing(tally)).isEqualTo(2);
        assertThat(client.lostBehindLaterFrames(tally)).isEqualTo(1);
        assertThat(client.hasAll(tally.producedFrom(0), new BitSet())).isFalse();
        assertThat(client.duplicates()).isZero();
        assertThat(client.outOfOrder()).isZero();
    }

    @Test
    void aRepeatedAlertIsADuplicateAndANewOneBelowTheLastOffsetIsOutOfOrder() {
        // Given a subscribed client
        final BenchClient client = subscribedClient(0);
        produced(0, 1, 2);

        // When it gets alert 0 twice, then alert 2, then alert 1 below alert 2's offset
        client.onText(event(0, 10));
        client.onText(event(0, 10));
        client.onText(event(2, 12));
        client.onText(event(1, 11));

        // Then one duplicate, one out of order, nothing missing
        assertThat(client.duplicates()).isEqualTo(1);
        assertThat(client.outOfOrder()).isEqualTo(1);
        assertThat(client.missing(tally)).isZero();
        assertThat(client.hasAll(tally.producedFrom(0), new BitSet())).isTrue();
    }

    @Test
    void onlyAlertsFromTheFirstSubscribeOnAreDue() {
        // Given alerts 0 and 1 acknowledged before the client subscribed, 2 after
        produced(0, 1);
        nextSeq.set(2);
        final BenchClient late = subscribedClient(0);
        produced(2);
        final BenchClient never = new BenchClient(1, "project:bench", null, tally, fleet);

        // When the late client gets alert 2
        late.onText(event(2, 12));

        // Then it has all that is due; a client that never subscribed has nothing due
        assertThat(late.missing(tally)).isZero();
        assertThat(late.hasAll(tally.producedFrom(0), new BitSet())).isTrue();
        assertThat(never.missing(tally)).isZero();
        assertThat(never.hasAll(tally.producedFrom(0), new BitSet())).isTrue();
    }

    @Test
    void framesOfACutOrReplacedConnectionAreNotProcessed() {
        // Given a client on its first connection
        final BenchClient client = new BenchClient(0, "project:bench", null, tally, fleet);
        final BenchClient.Link first = client.newLink();
        first.onWebSocketText("{\"op\":\"subscribed\",\"id\":\"b0\",\"cursor\":\"c0\"}");
        produced(0, 1, 2);
        first.onWebSocketText(event(0, 10));

        // When it cuts that connection, a frame still trails on it; then a new connection replays from the cursor
        client.cut();
        first.onWebSocketText(event(1, 11));
        final BenchClient.Link second = client.newLink();
        assertThat(client.subscribeFrame()).contains("\"resume\":\"c10\"");
        second.onWebSocketText(event(1, 11));
        second.onWebSocketText(event(2, 12));
        first.onWebSocketText(event(2, 12));

        // Then the trailing frames were dropped: the replay is no duplicate
        assertThat(client.events()).isEqualTo(3);
        assertThat(client.duplicates()).isZero();
        assertThat(client.missing(tally)).isZero();
    }

    @Test
    void pendingShrinksAsClientsCatchUp() {
        // Given two clients and alerts 0 and 1 due
        final BenchClient a = subscribedClient(0);
        final BenchClient b = subscribedClient(1);
        produced(0, 1);
        final Pending pending = new Pending(List.of(a, b), tally.producedFrom(0));

        // When one has both and the other one of them
        a.onText(event(0, 10));
        a.onText(event(1, 11));
        b.onText(event(0, 10));

        // Then one is still behind, until it gets the other
        assertThat(pending.done()).isFalse();
        assertThat(pending.size()).isEqualTo(1);
        b.onText(event(1, 11));
        assertThat(pending.done()).isTrue();
    }
}
