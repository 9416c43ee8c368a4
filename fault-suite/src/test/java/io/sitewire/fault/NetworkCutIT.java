package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;

import io.sitewire.gateway.GatewayMain;

import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's network is cut without a close frame (a frozen TCP proxy between it and the gateway: no FIN, no RST, no
 * bytes). Only the heartbeat can notice: the gateway pings every 500 ms and drops a connection silent for 3 s, then
 * its connection gauge drops and the room's other members see it leave.
 */
@ExtendWith(FaultStack.class)
class NetworkCutIT {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^sitewire_gateway_connections(?:\\{[^}]*\\})? ([0-9.]+)$");

    private Site site;
    private final WebSocketClient ws = new WebSocketClient();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start(final FaultStack stack) throws Exception {
        site = new Site(stack, "netcut");
        ws.start();
    }

    @AfterEach
    void stop() throws Exception {
        ws.stop();
        site.close();
    }

    @Test
    void aSilentlyCutClientIsFreedByTheHeartbeatAndLeavesItsRoom() throws Exception {
        // Given a gateway with a short heartbeat, a watcher in the project room, and a phone behind a proxy in it too
        final GatewayMain.Running gateway = site.startGateway(Map.of(
                "ws.heartbeat.interval", "500ms", "ws.idle.timeout", IDLE_TIMEOUT.toMillis() + "ms"));
        final StreamClient watcher = StreamClient.connect(ws, gateway.server().streamUri(), site.token("watcher"));
        watcher.subscribeAndWait("w", site.projectRoom(), null);
        try (FreezableProxy proxy = new FreezableProxy(new InetSocketAddress("127.0.0.1", gateway.server().port()))) {
            final URI viaProxy = URI.create("ws://127.0.0.1:" + proxy.port() + gateway.server().streamUri().getPath());
            final StreamClient phone = StreamClient.connect(ws, viaProxy, site.token("phone"));
            phone.subscribeAndWait("p", site.projectRoom(), null);
            watcher.await(presence("join", "phone"));
            Awaitility.await("both connections counted").atMost(Site.WAIT).until(() -> connections(gateway) == 2);

            // When the phone's network goes silent without closing
            proxy.freeze();
            final long frozenAt = System.nanoTime();

            // Then the gateway drops it once the idle timeout has passed: the gauge drops and the room sees it leave
            watcher.await(presence("leave", "phone"));
            final Duration noticedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);
            Awaitility.await("the gauge drops").atMost(Site.WAIT).until(() -> connections(gateway) == 1);
            assertThat(noticedAfter).as("noticed by the idle timeout, not by a closed socket")
                    .isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(600));
            assertThat(phone.isClosed()).as("the phone itself heard nothing (the link is frozen)").isFalse();
            // And a newcomer's presence snapshot lists the watcher only
            final StreamClient newcomer = StreamClient.connect(ws, gateway.server().streamUri(), site.token("newcomer"));
            newcomer.subscribeAndWait("n", site.projectRoom(), null);
            final JsonNode snapshot = newcomer.await(f -> "presence".equals(f.path("op").asText())
                    && "snapshot".equals(f.path("kind").asText()));
            assertThat(StreamSupport.stream(snapshot.path("clients").spliterator(), false)
                    .map(c -> c.path("subject").asText())).containsExactlyInAnyOrder("watcher", "newcomer");
            newcomer.close();
        }
        watcher.close();
    }

    private static Predicate<JsonNode> presence(final String kind, final String subject) {
        return f -> "presence".equals(f.path("op").asText()) && kind.equals(f.path("kind").asText())
                && StreamSupport.stream(f.path("clients").spliterator(), false)
                .anyMatch(c -> subject.equals(c.path("subject").asText()));
    }

    private int connections(final GatewayMain.Running gateway) throws Exception {
        final String metrics = http.send(HttpRequest.newBuilder(gateway.server().uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        final Matcher m = CONNECTIONS.matcher(metrics);
        assertThat(m.find()).as("sitewire_gateway_connections in /metrics").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }
}
