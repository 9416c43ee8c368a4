package io.sitewire.gateway.it;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A real Jetty WebSocket client that records every frame; it can stop reading to play a slow consumer. */
public final class WsClient implements Session.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile Session session;
    private volatile boolean reading = true;

    public static WsClient connect(final WebSocketClient client, final URI uri, final String token) throws Exception {
        return connect(client, uri, token, true);
    }

    public static WsClient connect(final WebSocketClient client, final URI uri, final String token, final boolean reading) throws Exception {
        return connect(client, uri, token, reading, true);
    }

    public static WsClient connect(final WebSocketClient client, final URI uri, final String token, final boolean reading,
                                   final boolean deflate) throws Exception {
        final WsClient ws = new WsClient();
        ws.reading = reading;
        final ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        if (deflate) {
            request.addExtensions("permessage-deflate");
        }
        client.connect(ws, uri, request).get(10, TimeUnit.SECONDS);
        return ws;
    }

    @Override
    public void onWebSocketOpen(final Session s) {
        this.session = s;
        if (reading) {
            s.demand();
        }
    }

    @Override
    public void onWebSocketText(final String text) {
        try {
            frames.add(JSON.readTree(text));
        } catch (final Exception e) {
            throw new IllegalStateException("server sent non-JSON: " + text, e);
        }
        if (reading) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketPing(final java.nio.ByteBuffer payload) {
        session.sendPong(payload, Callback.NOOP);
        if (reading) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketPong(final java.nio.ByteBuffer payload) {
        if (reading) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketClose(final int statusCode, final String reason) {
        closeReason = reason;
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(final Throwable cause) {
        closed.complete(-1);
    }

    /** Stops reading (the one read already requested may still deliver a frame). */
    public void pause() {
        reading = false;
    }

    /** Starts reading again (after playing slow). */
    public void startReading() {
        reading = true;
        session.demand();
    }

    public Session session() {
        return session;
    }

    public void send(final String text) {
        session.sendText(text, Callback.NOOP);
    }

    public void subscribe(final String id, final String rooms, final String extra) {
        send("{\"op\":\"subscribe\",\"id\":\"" + id + "\",\"rooms\":[" + rooms + "]" + (extra == null ? "" : "," + extra) + "}");
    }

    /** Drops the TCP connection without a close frame (a network cut). */
    public void cut() {
        session.disconnect();
    }

    public List<JsonNode> frames() {
        return frames;
    }

    public List<JsonNode> frames(final String op) {
        return frames.stream().filter(f -> op.equals(f.path("op").asText())).toList();
    }

    public List<JsonNode> events() {
        return frames("event");
    }

    /** The cursor of the last frame that carries one. */
    public String lastCursor() {
        for (int i = frames.size() - 1; i >= 0; i--) {
            final JsonNode c = frames.get(i).get("cursor");
            if (c != null) {
                return c.asText();
            }
        }
        return null;
    }

    public JsonNode await(final Predicate<JsonNode> frame, final Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).until(() -> frames.stream().anyMatch(frame));
        return frames.stream().filter(frame).findFirst().orElseThrow();
    }

    public JsonNode awaitOp(final String op, final String id) {
        return await(f -> op.equals(f.path("op").asText()) && (id == null || id.equals(f.path("id").asText())), Duration.ofSeconds(30));
    }

    public int awaitClose(final Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    public void close() {
        if (session != null && session.isOpen()) {
            session.close();
        }
    }
}
