package io.sitewire.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real Jetty WebSocket client of the gateway's stream that records every frame it receives, in order. */
public final class StreamClient implements Session.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Session session;

    public static StreamClient connect(final WebSocketClient client, final URI uri, final String token) throws Exception {
        final StreamClient ws = new StreamClient();
        final ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Authorization", "Bearer " + token);
        client.connect(ws, uri, request).get(30, TimeUnit.SECONDS);
        return ws;
    }

    @Override
    public void onWebSocketOpen(final Session s) {
        session = s;
        s.demand();
    }

    @Override
    public void onWebSocketText(final String text) {
        try {
            frames.add(JSON.readTree(text));
        } catch (final Exception e) {
            throw new IllegalStateException("server sent non-JSON: " + text, e);
        }
        session.demand();
    }

    @Override
    public void onWebSocketPing(final ByteBuffer payload) {
        session.sendPong(payload, Callback.NOOP);
        session.demand();
    }

    @Override
    public void onWebSocketPong(final ByteBuffer payload) {
        session.demand();
    }

    @Override
    public void onWebSocketClose(final int statusCode, final String reason) {
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(final Throwable cause) {
        closed.complete(-1);
    }

    void subscribe(final String id, final String room, final String extra) {
        session.sendText("{\"op\":\"subscribe\",\"id\":\"" + id + "\",\"rooms\":[\"" + room + "\"]"
                + (extra == null ? "" : "," + extra) + "}", Callback.NOOP);
    }

    /** Subscribes and waits for {@code subscribed} (and {@code replayed} when history was asked for). */
    void subscribeAndWait(final String id, final String room, final String extra) {
        subscribe(id, room, extra);
        awaitOp("subscribed", id);
        if (extra != null) {
            awaitOp("replayed", id);
        }
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    List<JsonNode> frames(final String op) {
        return frames.stream().filter(f -> op.equals(f.path("op").asText())).toList();
    }

    List<JsonNode> events() {
        return frames("event");
    }

    /** The cursor of the last frame that carries one: what a client persists to resume from. */
    String lastCursor() {
        final List<JsonNode> all = frames();
        for (int i = all.size() - 1; i >= 0; i--) {
            final JsonNode cursor = all.get(i).get("cursor");
            if (cursor != null) {
                return cursor.asText();
            }
        }
        return null;
    }

    JsonNode awaitOp(final String op, final String id) {
        return await(f -> op.equals(f.path("op").asText()) && (id == null || id.equals(f.path("id").asText())));
    }

    JsonNode await(final Predicate<JsonNode> frame) {
        Awaitility.await().atMost(Site.WAIT).until(() -> frames.stream().anyMatch(frame));
        return frames.stream().filter(frame).findFirst().orElseThrow();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    int awaitClose(final Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        final Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }
}
