package io.sitewire.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitewire.events.Priority;
import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.ws.Connection;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The stream end to end: a real broker and registry, real gateways on free ports, real WebSocket clients. */
@SitewireStack
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private GatewayFixture fx;
    private GatewayServer a;
    private GatewayServer b;
    private WebSocketClient client;

    @BeforeAll
    void start(final LocalStack stack) throws Exception {
        fx = new GatewayFixture(stack.bootstrapServers(), stack.registryUrl());
        a = fx.gateway(Map.of("ws.send.queue.frames", "256"), new TestAccess());
        // b declines permessage-deflate: every test on b then also covers the uncompressed path
        b = fx.gateway(Map.of("ws.permessage.deflate", "false"), new TestAccess());
        client = new WebSocketClient();
        client.setMaxTextMessageSize(1 << 20);
        // A paused test client models a slow phone, not a dead one: Jetty's 30 s client idle timeout would end it
        // itself (close -1, no close frame read) while the test waits for other clients on a loaded machine.
        client.setIdleTimeout(Duration.ofMinutes(5));
        client.start();
        await().atMost(WAIT).until(() -> a.ready() && b.ready());
    }

    @AfterAll
    void stop() throws Exception {
        client.stop();
        a.close();
        b.close();
        fx.close();
    }

    private static String project() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WsClient connect(final GatewayServer gateway, final String project) throws Exception {
        return WsClient.connect(client, gateway.streamUri(), TestAccess.token("u-" + project, project));
    }

    @Test
    void aGatewayConfiguredWithoutDeflateDeclinesItAndStillDelivers() throws Exception {
        // Given a client offering permessage-deflate to the gateway configured with ws.permessage.deflate=false
        final String p = project();
        final WsClient ws = connect(b, p);
        ws.subscribe("s1", "\"project:" + p + "\"", null);
        ws.awaitOp("subscribed", "s1");
        // Then the upgrade negotiated no extension
        assertThat(ws.session().getUpgradeResponse().getExtensions()).isEmpty();
        // When an alert is published, Then it arrives uncompressed all the same
        fx.publish(Alerts.alert(p, Priority.HIGH, 7)).get();
        await().atMost(WAIT).until(() -> ws.events().size() == 1);
        assertThat(ws.events().get(0).get("priority").asText()).isEqualTo("HIGH");
        ws.close();
    }

    @Test
    void anAlertReachesEveryRoomItIsRoutedToWithSnapshotAndPresenceFirst() throws Exception {
        // Given a manager subscribed to a project's room and its management room
        final String p = project();
        final WsClient ws = connect(a, p);
        ws.subscribe("s1", "\"project:" + p + "\",\"management:project:" + p + "\"", null);
        final JsonNode subscribed = ws.awaitOp("subscribed", "s1");
        assertThat(subscribed.get("cursor").asText()).isNotBlank();
        // Then it gets a presence snapshot (itself) and the state snapshot of both rooms
        ws.await(f -> f.path("op").asText().equals("presence") && f.path("kind").asText().equals("snapshot"), WAIT);
        ws.await(f -> f.path("op").asText().equals("snapshot") && f.path("room").asText().equals("management:project:" + p), WAIT);
        assertThat(ws.session().getUpgradeResponse().getExtensions()).extracting(e -> e.getName()).contains("permessage-deflate");
        // When an alert of that project is published
        fx.publish(Alerts.alert(p, Priority.URGENT, 1)).get();
        // Then one event frame per room arrives, the same record (same pos), its JSON form as data
        await().atMost(WAIT).until(() -> ws.events().size() == 2);
        final List<JsonNode> events = ws.events();
        assertThat(events).extracting(e -> e.get("room").asText()).containsExactlyInAnyOrder("project:" + p, "management:project:" + p);
        assertThat(events.get(0).get("pos").asText()).isEqualTo(events.get(1).get("pos").asText());
        assertThat(events.get(0).get("type").asText()).isEqualTo("alert");
        assertThat(events.get(0).get("priority").asText()).isEqualTo("URGENT");
        assertThat(events.get(0).path("data").path("limitSource").asText()).isEqualTo("NIOSH REL 200 ppm ceiling");
        assertThat(events.get(0).get("eventTime").asLong()).isEqualTo(1_700_000_000_101L);
        ws.close();
    }

    @Test
    void everyClientGetsEveryEventOnceInOrderAcrossCutsAndBothInstances() throws Exception {
        // Given 4 clients of one project, on alternating instances, subscribed from now
        final String p = project();
        final int clients = 4;
        final int chunks = 8;
        final int perChunk = 60;
        final List<List<WsClient>> history = new ArrayList<>();
        final String[] cursor = new String[clients];
        for (int c = 0; c < clients; c++) {
            final WsClient ws = connect(c % 2 == 0 ? a : b, p);
            ws.subscribe("s", "\"project:" + p + "\"", null);
            cursor[c] = ws.awaitOp("subscribed", "s").get("cursor").asText();
            history.add(new ArrayList<>(List.of(ws)));
        }
        // When alerts are published in chunks and, while each chunk is in flight, half the clients lose their
        // link (no close frame) and resume on the OTHER instance from the cursor of the last frame they got.
        // Like the SDK, a client keeps its cursor across links: a link cut before its first frame (its resume
        // still being resolved) leaves the cursor where it was.
        int published = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            for (int i = 0; i < perChunk; i++) {
                fx.publish(Alerts.alert(p, Priority.NORMAL, published++));
            }
            for (int c = chunk % 2; c < clients; c += 2) {
                final List<WsClient> links = history.get(c);
                final WsClient old = links.get(links.size() - 1);
                old.cut();
                old.awaitClose(WAIT);
                if (old.lastCursor() != null) {
                    cursor[c] = old.lastCursor();
                }
                final WsClient next = connect((chunk + c) % 2 == 0 ? b : a, p);
                next.subscribe("r" + chunk, "\"project:" + p + "\"", "\"resume\":\"" + cursor[c] + "\"");
                links.add(next);
            }
        }
        fx.flush();
        final int total = published;
        // Then each client ends with every event exactly once (repeats of a (room, pos) it already has, which a
        // resume after a cut during replay may send, are dropped as the SDK does), in publication (partition) order
        final List<String> problems = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            final List<WsClient> links = history.get(c);
            try {
                await().atMost(WAIT).until(() -> Delivery.of(links, total).distinct() >= total);
            } catch (final org.awaitility.core.ConditionTimeoutException e) {
                // fall through: the report below says what is missing
            }
            final Delivery delivery = Delivery.of(links, total);
            System.out.println("client " + c + ": " + delivery);
            if (!delivery.complete()) {
                problems.add("client " + c + ": " + delivery);
            }
        }
        history.forEach(links -> links.get(links.size() - 1).close());
        assertThat(problems).as("every client gets all %d events once, in order", total).isEmpty();
    }

    /**
     * What one client got over all its links, after dropping repeated (room, pos) pairs: missing sequence numbers,
     * true duplicates (one alert under two positions), out-of-order ones, and each link's control frames and cursor.
     */
    private record Delivery(List<Integer> seqs, int repeats, List<Integer> missing, List<String> duplicated,
                            List<String> outOfOrder, List<String> links) {

        static Delivery of(final List<WsClient> connections, final int total) {
            final List<Integer> seqs = new ArrayList<>();
            final Map<String, Integer> seqByPos = new java.util.HashMap<>();
            final Map<Integer, String> posBySeq = new java.util.HashMap<>();
            final List<String> duplicated = new ArrayList<>();
            final List<String> links = new ArrayList<>();
            int repeats = 0;
            for (final WsClient ws : connections) {
                int mine = 0;
                int repeatsHere = 0;
                for (final JsonNode e : ws.events()) {
                    final String key = e.path("room").asText() + "@" + e.path("pos").asText();
                    final int seq = Alerts.seqOf(e);
                    final Integer before = seqByPos.putIfAbsent(key, seq);
                    if (before != null) {
                        repeatsHere++;
                        if (before != seq) {
                            duplicated.add("pos " + key + " carried " + before + " and " + seq);
                        }
                        continue;
                    }
                    final String other = posBySeq.putIfAbsent(seq, key);
                    if (other != null) {
                        duplicated.add(seq + " at " + other + " and " + key);
                    }
                    seqs.add(seq);
                    mine++;
                }
                repeats += repeatsHere;
                final List<String> ops = ws.frames().stream()
                        .filter(f -> !List.of("event", "presence", "snapshot").contains(f.path("op").asText()))
                        .map(f -> f.path("op").asText() + "(" + f.path("id").asText() + (f.has("code") ? ":" + f.path("code").asText() : "")
                                + (f.path("op").asText().equals("replayed") ? ",count=" + f.path("count").asText() : "") + ")")
                        .toList();
                links.add("[new " + mine + ", repeated " + repeatsHere + ", control " + ops + ", close "
                        + (ws.isClosed() ? ws.closeCodeNow() : "open") + ", last cursor " + ws.lastCursor() + "]");
            }
            final List<String> outOfOrder = new ArrayList<>();
            for (int i = 1; i < seqs.size(); i++) {
                if (seqs.get(i) < seqs.get(i - 1)) {
                    outOfOrder.add(seqs.get(i - 1) + "->" + seqs.get(i));
                }
            }
            final java.util.Set<Integer> got = new java.util.HashSet<>(seqs);
            final List<Integer> missing = IntStream.range(0, total).filter(i -> !got.contains(i)).boxed().toList();
            return new Delivery(seqs, repeats, missing, duplicated, outOfOrder, links);
        }

        int distinct() {
            return seqs.size();
        }

        boolean complete() {
            return missing.isEmpty() && duplicated.isEmpty() && outOfOrder.isEmpty();
        }

        @Override
        public String toString() {
            return "got " + seqs.size() + " distinct (+" + repeats + " repeated positions), missing " + ranges(missing)
                    + ", duplicated " + duplicated + ", out of order " + outOfOrder + ", links " + links;
        }

        private static String ranges(final List<Integer> sorted) {
            final StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < sorted.size(); i++) {
                int j = i;
                while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                    j++;
                }
                out.append(out.length() > 1 ? ", " : "").append(sorted.get(i)).append(j > i ? "-" + sorted.get(j) : "");
                i = j;
            }
            return out.append("]").toString();
        }
    }

    @Test
    void aClientResumesAfterTheGatewayRestarts() throws Exception {
        // Given a client that saw 20 alerts on a gateway
        final String p = project();
        GatewayServer gw = fx.gateway(Map.of(), new TestAccess());
        final WsClient first = WsClient.connect(client, gw.streamUri(), TestAccess.token("u", p));
        first.subscribe("s", "\"project:" + p + "\"", null);
        first.awaitOp("subscribed", "s");
        for (int i = 0; i < 20; i++) {
            fx.publish(Alerts.alert(p, Priority.HIGH, i));
        }
        fx.flush();
        await().atMost(WAIT).until(() -> first.events().size() == 20);
        final String cursor = first.lastCursor();
        // When the gateway stops (1001 to its clients), 20 more are published, and a new gateway starts
        gw.close();
        assertThat(first.awaitClose(WAIT)).isEqualTo(1001);
        for (int i = 20; i < 40; i++) {
            fx.publish(Alerts.alert(p, Priority.HIGH, i));
        }
        fx.flush();
        gw = fx.gateway(Map.of(), new TestAccess());
        try {
            final WsClient again = WsClient.connect(client, gw.streamUri(), TestAccess.token("u", p));
            again.subscribe("r", "\"project:" + p + "\"", "\"resume\":\"" + cursor + "\"");
            // Then it gets exactly the 20 it missed, then replayed, then live
            final JsonNode replayed = again.awaitOp("replayed", "r");
            assertThat(replayed.get("count").asLong()).isEqualTo(20);
            assertThat(again.events()).extracting(Alerts::seqOf).containsExactlyElementsOf(IntStream.range(20, 40).boxed().toList());
            fx.publish(Alerts.alert(p, Priority.HIGH, 40)).get();
            await().atMost(WAIT).until(() -> again.events().size() == 21);
            assertThat(Alerts.seqOf(again.events().get(20))).isEqualTo(40);
            assertThat(again.frames("gap")).isEmpty();
            again.close();
        } finally {
            gw.close();
        }
    }

    @Test
    void aCursorOlderThanRetentionGetsAGapThenWhatIsLeft() throws Exception {
        // Given a cursor taken before 10 alerts were published
        final String p = project();
        final WsClient first = connect(a, p);
        first.subscribe("s", "\"project:" + p + "\"", null);
        final String before = first.awaitOp("subscribed", "s").get("cursor").asText();
        first.close();
        final List<RecordMetadata> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            written.add(fx.publish(Alerts.alert(p, Priority.LOW, i)).get());
        }
        final TopicPartition tp = new TopicPartition(written.get(0).topic(), written.get(0).partition());
        final long firstOffset = written.get(0).offset();
        // When retention removes the first 4 (deleteRecords advances the log start offset)
        fx.admin.deleteRecords(Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(written.get(4).offset())))
                .all().get();
        final long cursorOffset = a.hub().space().decode(before)[a.hub().space().indexOf(tp)];
        // And the client resumes from the old cursor
        final WsClient again = connect(b, p);
        again.subscribe("r", "\"project:" + p + "\"", "\"resume\":\"" + before + "\"");
        again.awaitOp("replayed", "r");
        // Then a gap frame says which partition lost how many records, and the rest arrive in order
        final JsonNode gap = again.awaitOp("gap", "r");
        assertThat(gap.get("topic").asText()).isEqualTo(tp.topic());
        assertThat(gap.get("partition").asInt()).isEqualTo(tp.partition());
        assertThat(gap.get("from").asLong()).isEqualTo(cursorOffset);
        assertThat(gap.get("to").asLong()).isEqualTo(written.get(4).offset());
        assertThat(gap.get("lost").asLong()).isEqualTo(written.get(4).offset() - cursorOffset);
        assertThat(gap.get("lost").asLong()).isGreaterThanOrEqualTo(4 + 0 * firstOffset);
        assertThat(again.events()).extracting(Alerts::seqOf).containsExactly(4, 5, 6, 7, 8, 9);
        again.close();
    }

    @Test
    void anEmergencyPublishedBehindABurstOfLowOvertakesIt() throws Exception {
        // Given a client that has stopped reading while 30,000 LOW alerts pile up for it
        final String p = project();
        final GatewayServer gw = fx.gateway(Map.of("ws.send.queue.frames", "100000", "ws.idle.timeout", "120s"), new TestAccess());
        try {
            final WsClient ws = WsClient.connect(client, gw.streamUri(), TestAccess.token("u", p), true, false);
            ws.subscribe("s", "\"project:" + p + "\"", null);
            ws.awaitOp("subscribed", "s");
            ws.pause();
            final WsClient paused = ws;
            final int lows = 30_000;
            for (int i = 0; i < lows; i++) {
                fx.publish(Alerts.alert(p, Priority.LOW, i));
            }
            fx.flush();
            // When an EMERGENCY is published behind them
            final long t0 = System.nanoTime();
            final RecordMetadata em = fx.publish(Alerts.alert(p, Priority.EMERGENCY, lows)).get();
            final int index = gw.hub().space().indexOf(new TopicPartition(em.topic(), em.partition()));
            await().atMost(WAIT).until(() -> gw.hub().position()[index] > em.offset());
            // Then, once the client reads again, it reaches it before the LOW burst has been delivered
            paused.startReading();
            await().atMost(WAIT).until(() -> paused.events().size() == lows + 1);
            final List<JsonNode> events = paused.events();
            final int at = IntStream.range(0, events.size()).filter(i -> events.get(i).get("priority").asText().equals("EMERGENCY"))
                    .findFirst().orElseThrow();
            System.out.printf("EMERGENCY arrived as frame %d of %d (%.1f ms after publish)%n", at, events.size(), (System.nanoTime() - t0) / 1e6);
            assertThat(at).isLessThan(lows);
            ws.close();
        } finally {
            gw.close();
        }
    }

    @Test
    void aSlowClientIsClosedWith4008WithoutDelayingOthersAndResumesCompletely() throws Exception {
        // Given a fast and a stalled (not reading) client of one project on a gateway with a 256-frame queue
        // (and an idle timeout long enough that the stalled client is not dropped as dead first)
        final String p = project();
        final GatewayServer a = fx.gateway(Map.of("ws.send.queue.frames", "256", "ws.idle.timeout", "120s"), new TestAccess());
        final WsClient fast = connect(a, p);
        final WsClient slow = WsClient.connect(client, a.streamUri(), TestAccess.token("slow", p), true, false);
        fast.subscribe("s", "\"project:" + p + "\"", null);
        slow.subscribe("s", "\"project:" + p + "\"", null);
        fast.awaitOp("subscribed", "s");
        slow.awaitOp("subscribed", "s");
        final double closesBefore = a.metrics().slowConsumerCloses();
        final WsClient stalled = WsClient.connect(client, a.streamUri(), TestAccess.token("stalled", p), true, false);
        stalled.subscribe("s", "\"project:" + p + "\"", null);
        stalled.awaitOp("subscribed", "s");
        stalled.pause();
        // When 20,000 alerts are published
        final int total = 20_000;
        for (int i = 0; i < total; i++) {
            fx.publish(Alerts.alert(p, Priority.LOW, i));
        }
        fx.flush();
        // Then the fast client gets all of them while the stalled one is closed as a slow consumer. (Wait for the
        // fast one first: the slow-consumer metric counts closes of any connection, and only once all 20,000 were
        // sent is the stalled one certainly closed. On a loaded machine this test's own reader can fall 256 frames
        // behind and the fast client is closed too: then it resumes like any client, and its history must still
        // be complete, once and in order.)
        await().atMost(WAIT).until(() -> fast.events().size() == total || fast.isClosed());
        final List<JsonNode> fastAll = new ArrayList<>(fast.events());
        if (fastAll.size() < total) {
            assertThat(fast.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_SLOW_CONSUMER);
            final WsClient again = connect(b, p);
            again.subscribe("r", "\"project:" + p + "\"", "\"resume\":\"" + fast.lastCursor() + "\"");
            again.awaitOp("replayed", "r");
            await().atMost(WAIT).until(() -> fastAll.size() + again.events().size() >= total);
            fastAll.addAll(again.events());
            again.close();
        }
        assertThat(fastAll).extracting(Alerts::seqOf).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        await().atMost(WAIT).until(() -> a.metrics().slowConsumerCloses() > closesBefore);
        // And once it reads again it drains its backlog and sees the close code
        stalled.startReading();
        assertThat(stalled.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_SLOW_CONSUMER);
        assertThat(stalled.closeReason()).isEqualTo(Connection.SLOW_CONSUMER_REASON);
        // And resuming from its cursor completes its history exactly
        final WsClient resumed = connect(b, p);
        resumed.subscribe("r", "\"project:" + p + "\"", "\"resume\":\"" + stalled.lastCursor() + "\"");
        resumed.awaitOp("replayed", "r");
        final List<JsonNode> all = new ArrayList<>(stalled.events());
        all.addAll(resumed.events());
        assertThat(all).extracting(Alerts::seqOf).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        fast.close();
        slow.close();
        resumed.close();
        a.close();
    }

    @Test
    void whenMostClientsFallBehindTheGatewayWaitsForThemAndLetsAnEmergencyThrough() throws Exception {
        // Given three clients of one project on a gateway with a 256-frame queue, none of them reading
        final String p = project();
        final GatewayServer gw = fx.gateway(Map.of("ws.send.queue.frames", "256", "ws.idle.timeout", "120s"), new TestAccess());
        try {
            final List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final WsClient c = WsClient.connect(client, gw.streamUri(), TestAccess.token("behind-" + i, p), true, false);
                c.subscribe("s", "\"project:" + p + "\"", null);
                c.awaitOp("subscribed", "s");
                c.pause();
                clients.add(c);
            }
            final double closesBefore = gw.metrics().slowConsumerCloses();
            // When 20,000 alerts are published (far more than a queue and the socket buffers hold)
            final int total = 20_000;
            for (int i = 0; i < total; i++) {
                fx.publish(Alerts.alert(p, Priority.LOW, i));
            }
            fx.flush();
            // Then the gateway's brake engages (most connections congested) instead of closing them all
            await().atMost(WAIT).until(() -> gw.hub().congestion().saturated());
            // And an EMERGENCY published while the LOW flood is held back is still dispatched to them
            fx.publish(Alerts.alert(p, Priority.EMERGENCY, total));
            fx.flush();
            // And once they read again, every client gets every alert once, in order, the emergency ahead of the held
            // LOW alerts, and nobody is closed as a slow consumer
            clients.forEach(WsClient::startReading);
            for (final WsClient c : clients) {
                await().atMost(WAIT).until(() -> c.events().size() == total + 1 || c.isClosed());
                assertThat(c.isClosed()).as("closed: %s %s", c.closeCodeNow(), c.closeReason()).isFalse();
                final List<Integer> seqs = c.events().stream().map(Alerts::seqOf).toList();
                assertThat(seqs.stream().filter(s -> s < total).toList())
                        .containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
                assertThat(seqs.indexOf(total)).as("position of the emergency").isBetween(0, total - 1);
            }
            assertThat(gw.metrics().slowConsumerCloses()).isEqualTo(closesBefore);
            clients.forEach(WsClient::close);
        } finally {
            gw.close();
        }
    }

    @Test
    void aWindowedClientGetsAnEmergencyAheadOfEverythingItHasNotAcknowledged() throws Exception {
        // Given a client that asked for a window of 16 frames and acknowledges none of them
        final String p = project();
        final GatewayServer gw = fx.gateway(Map.of("ws.send.queue.frames", "100000", "ws.idle.timeout", "120s"), new TestAccess());
        try {
            final WsClient ws = connect(gw, p);
            ws.send("{\"op\":\"flow\",\"id\":\"w\",\"window\":16}");
            assertThat(ws.awaitOp("flow", "w").get("window").asInt()).isEqualTo(16);
            ws.subscribe("s", "\"project:" + p + "\"", null);
            ws.awaitOp("subscribed", "s");
            // When 2,000 LOW alerts are published and the gateway has dispatched them all
            final int lows = 2_000;
            RecordMetadata last = null;
            for (int i = 0; i < lows; i++) {
                final var sent = fx.publish(Alerts.alert(p, Priority.LOW, i));
                if (i == lows - 1) {
                    fx.flush();
                    last = sent.get();
                }
            }
            final RecordMetadata lastLow = last;
            final int lowIndex = gw.hub().space().indexOf(new TopicPartition(lastLow.topic(), lastLow.partition()));
            await().atMost(WAIT).until(() -> gw.hub().position()[lowIndex] > lastLow.offset());
            await().atMost(WAIT).until(() -> ws.frames().size() >= 16);
            // (the frames the window holds back are in the gateway's queue gauges)
            assertThat(gauge(gw, "sitewire_gateway_queue_depth_max")).isGreaterThanOrEqualTo(lows - 16);
            assertThat(gauge(gw, "sitewire_gateway_queued_frames")).isGreaterThanOrEqualTo(lows - 16);
            // And then an EMERGENCY
            fx.publish(Alerts.alert(p, Priority.EMERGENCY, lows));
            fx.flush();
            // Then it arrives as the 17th frame: the window held back the LOW alerts, not the emergency
            await().atMost(WAIT).until(() -> ws.events().stream().anyMatch(e -> e.get("priority").asText().equals("EMERGENCY")));
            assertThat(ws.frames()).hasSize(17);
            assertThat(ws.frames().get(16).get("priority").asText()).isEqualTo("EMERGENCY");
            // And acknowledging what it has read (far more acks than the client-frame rate limit lets through: acks
            // that acknowledge new frames are not counted), it gets every LOW alert once and in order
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                ws.send("{\"op\":\"ack\",\"received\":" + ws.frames().size() + "}");
                return ws.events().size() == lows + 1;
            });
            assertThat(ws.events()).extracting(Alerts::seqOf).filteredOn(seq -> seq < lows)
                    .containsExactlyElementsOf(IntStream.range(0, lows).boxed().toList());
            assertThat(ws.frames("error")).isEmpty();
            assertThat(ws.isClosed()).isFalse();
            ws.close();
        } finally {
            gw.close();
        }
    }

    /** A gauge's value from the gateway's Prometheus text. */
    private static double gauge(final GatewayServer gw, final String name) throws Exception {
        final String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gw.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }

    @Test
    void flowAndAckFramesAreChecked() throws Exception {
        // Given a connection without subscriptions (so the only frames it gets are answers)
        final WsClient ws = connect(a, project());
        // When it sends a window out of range, a window that is no number, a negative ack and an ack of frames never sent
        ws.send("{\"op\":\"flow\",\"id\":\"small\",\"window\":4}");
        ws.send("{\"op\":\"flow\",\"id\":\"type\",\"window\":\"lots\"}");
        ws.send("{\"op\":\"ack\",\"id\":\"neg\",\"received\":-1}");
        ws.send("{\"op\":\"ack\",\"id\":\"ahead\",\"received\":1000}");
        ws.send("{\"op\":\"ping\",\"id\":\"p\"}");
        ws.awaitOp("pong", "p");
        // Then each is refused with bad_request (five frames sent so far: four errors and the pong)
        assertThat(ws.frames()).hasSize(5);
        // And a right ack is answered with nothing, one that goes back is refused
        ws.send("{\"op\":\"ack\",\"id\":\"ok\",\"received\":5}");
        ws.send("{\"op\":\"ack\",\"id\":\"back\",\"received\":2}");
        ws.send("{\"op\":\"ping\",\"id\":\"alive\"}");
        ws.awaitOp("pong", "alive");
        assertThat(ws.frames("error")).extracting(e -> e.get("id").asText() + ":" + e.get("code").asText())
                .containsExactly("small:bad_request", "type:bad_request", "neg:bad_request", "ahead:bad_request", "back:bad_request");
        assertThat(ws.frames("error").get(3).get("message").asText()).contains("acknowledges more frames than the");
        ws.close();
    }

    @Test
    void badFramesGetErrorFramesAndTheServerStaysUp() throws Exception {
        final String p = project();
        final WsClient ws = connect(a, p);
        ws.send("this is not json");
        ws.send("{\"op\":\"dance\",\"id\":\"d\"}");
        ws.send("{\"op\":\"subscribe\",\"id\":\"nr\"}");
        ws.send("{\"op\":\"subscribe\",\"id\":\"k\",\"rooms\":[\"kitchen\"]}");
        ws.send("{\"op\":\"subscribe\",\"id\":\"c\",\"rooms\":[\"project:" + p + "\"],\"resume\":\"AAAA-garbage\"}");
        ws.send("{\"op\":\"subscribe\",\"id\":\"f\",\"rooms\":[\"project:other\"]}");
        ws.send("{\"op\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
        ws.send("[1,2,3]");
        ws.send("{\"op\":\"ping\",\"id\":\"alive\"}");
        ws.awaitOp("pong", "alive");
        await().atMost(WAIT).until(() -> ws.frames("error").size() == 8);
        assertThat(ws.frames("error")).extracting(e -> e.path("id").asText("") + ":" + e.get("code").asText()).containsExactly(
                ":bad_request", "d:bad_request", "nr:bad_request", "k:unknown_room", "c:bad_request", "f:forbidden", ":too_large",
                ":bad_request");
        // A frame beyond 4x the limit is not even read: close 1009
        ws.send("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(300_000) + "\"}");
        assertThat(ws.awaitClose(WAIT)).isEqualTo(1009);
        // A flood is refused, then closed with 4029
        final WsClient flood = connect(a, p);
        for (int i = 0; i < 2_000 && !flood.isClosed(); i++) {
            flood.send("{\"op\":\"ping\",\"id\":\"" + i + "\"}");
        }
        assertThat(flood.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_RATE_LIMITED);
        assertThat(flood.frames("error")).extracting(e -> e.get("code").asText()).contains("rate_limited");
        // And the server is fine
        final WsClient after = connect(a, p);
        after.send("{\"op\":\"ping\",\"id\":\"ok\"}");
        assertThat(after.awaitOp("pong", "ok").get("serverTime").asLong()).isPositive();
        after.close();
    }

    @Test
    void tokensAndOriginsAreChecked() throws Exception {
        final String p = project();
        // No token: an error frame, then 4001
        final WsClient none = WsClient.connect(client, a.streamUri(), null);
        assertThat(none.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
        assertThat(none.frames("error").get(0).get("code").asText()).isEqualTo("unauthorized");
        // A device token may post events but not open the stream: 4003
        final WsClient device = WsClient.connect(client, a.streamUri(), TestAccess.token("d1", "device", p, System.currentTimeMillis() + 60_000));
        assertThat(device.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_FORBIDDEN);
        // A token that expires while connected: 4001 "token expired"
        final WsClient expiring = WsClient.connect(client, a.streamUri(), TestAccess.token("e1", "worker", p, System.currentTimeMillis() + 1_500));
        expiring.subscribe("s", "\"project:" + p + "\"", null);
        expiring.awaitOp("subscribed", "s");
        assertThat(expiring.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
        assertThat(expiring.closeReason()).isEqualTo("token expired");
        // A browser page from an origin not on the allow-list: 403 on the upgrade
        final org.eclipse.jetty.websocket.client.ClientUpgradeRequest evil = new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
        evil.setHeader("Origin", "https://evil.example");
        evil.setHeader("Authorization", "Bearer " + TestAccess.token("u", p));
        assertThatThrownBy(() -> client.connect(new WsClient(), a.streamUri(), evil).get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasMessageContaining("403");
    }

    @Test
    void presenceShowsWhoIsInARoom() throws Exception {
        final String p = project();
        final String room = "\"safety-zone:north:project:" + p + "\"";
        final WsClient first = WsClient.connect(client, a.streamUri(), TestAccess.token("alice", p));
        first.subscribe("s", room, null);
        first.awaitOp("subscribed", "s");
        final WsClient second = WsClient.connect(client, b.streamUri(), TestAccess.token("bob", p));
        // (presence is per instance: bob on another instance is not seen by alice; on the same instance he is)
        second.close();
        final WsClient third = WsClient.connect(client, a.streamUri(), TestAccess.token("carol", p));
        third.subscribe("s", room, null);
        final JsonNode snapshot = third.await(f -> f.path("op").asText().equals("presence") && f.path("kind").asText().equals("snapshot"), WAIT);
        assertThat(snapshot.get("clients")).extracting(c -> c.get("subject").asText()).containsExactlyInAnyOrder("alice", "carol");
        final JsonNode join = first.await(f -> f.path("op").asText().equals("presence") && f.path("kind").asText().equals("join"), WAIT);
        assertThat(join.get("clients").get(0).get("subject").asText()).isEqualTo("carol");
        third.close();
        final JsonNode leave = first.await(f -> f.path("op").asText().equals("presence") && f.path("kind").asText().equals("leave"), WAIT);
        assertThat(leave.get("clients").get(0).get("subject").asText()).isEqualTo("carol");
        first.close();
    }

    @Test
    void aClientWhoseNetworkIsCutIsNoticedAndFreed() throws Exception {
        // Given a client that stops answering (it reads nothing, so it never answers pings)
        final String p = project();
        final WsClient silent = WsClient.connect(client, a.streamUri(), TestAccess.token("s", p), false, false);
        await().atMost(WAIT).until(() -> a.connectionCount() >= 1);
        final int before = a.connectionCount();
        // Then within the idle timeout (3 s here) the server drops it
        await().atMost(Duration.ofSeconds(15)).until(() -> a.connectionCount() < before);
        silent.close();
    }

    @Test
    void httpEndpointsAnswer() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final URI base = a.uri();
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("sitewire_gateway_connections", "sitewire_gateway_frames_sent_total", "sitewire_gateway_slow_consumer_closes_total");
        final HttpResponse<String> index = http.send(HttpRequest.newBuilder(base.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("Sitewire");
        final HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(base.resolve("/v1/events")).POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ingest.statusCode()).isIn(202, 400, 401, 503);
    }
}
