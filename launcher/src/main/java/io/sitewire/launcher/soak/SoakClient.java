package io.sitewire.launcher.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A dashboard that comes and goes: subscribes to one room, checks every event frame ({@link DeliveryCheck}), keeps
 * the cursor of the last frame it processed, and at random moments drops its connection (half of the time with a
 * close frame, half of the time as a network cut would) and comes back a few seconds later, resuming from that
 * cursor. The gateway closing it (1001, 4008) also makes it come back and resume. With a window it asks for
 * flow control on each connection and acknowledges what it has read at half the window, as the JS SDK does.
 */
public final class SoakClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int number;
    private final WebSocketClient ws;
    private final URI uri;
    private final String token;
    private final String room;
    private final Duration meanChurn;
    private final int window;
    private final ScheduledExecutorService scheduler;
    private final SplittableRandom random;
    private final DeliveryCheck check;
    private volatile Connection current;
    private volatile boolean stopped;
    private volatile boolean churnStopped;
    private String cursor;
    private long frames;
    private long connects;
    private long churns;
    private long serverCloses;
    private long errors;

    SoakClient(final int number, final WebSocketClient ws, final URI uri, final String token, final String room,
               final Duration meanChurn, final int window, final ScheduledExecutorService scheduler, final long seed,
               final Truth truth) {
        this.number = number;
        this.ws = ws;
        this.uri = uri;
        this.token = token;
        this.room = room;
        this.meanChurn = meanChurn;
        this.window = window;
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        this.check = new DeliveryCheck(truth);
    }

    void start() {
        connect();
    }

    /** Starts the random disconnects (once every client is in, so the start is measured with all of them). */
    void startChurn() {
        scheduleChurn();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        final Connection connection = new Connection();
        current = connection;
        final ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Authorization", "Bearer " + token);
        try {
            ws.connect(connection, uri, request).whenComplete((session, error) -> {
                if (error != null) {
                    synchronized (this) {
                        errors++;
                    }
                    reconnectLater(Duration.ofSeconds(2));
                }
            });
        } catch (final java.io.IOException e) {
            synchronized (this) {
                errors++;
            }
            reconnectLater(Duration.ofSeconds(2));
        }
    }

    private void reconnectLater(final Duration delay) {
        if (!stopped) {
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void scheduleChurn() {
        // Exponential waits: disconnects come at random, on average every meanChurn.
        final long wait = Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanChurn.toMillis()));
        scheduler.schedule(this::churn, wait, TimeUnit.MILLISECONDS);
    }

    private void churn() {
        if (stopped || churnStopped) {
            return;
        }
        final Connection connection = current;
        final Session session = connection == null ? null : connection.session;
        if (session != null && session.isOpen()) {
            synchronized (this) {
                churns++;
            }
            connection.leaving = true;
            if (random.nextBoolean()) {
                session.close(1000, "soak churn", Callback.NOOP);
            } else {
                session.disconnect();
            }
            reconnectLater(Duration.ofMillis(500 + random.nextLong(4_500)));
        }
        scheduleChurn();
    }

    /** Stops the random disconnects (and comes back if away); the connection stays. */
    void stopChurn() {
        churnStopped = true;
    }

    /** Stops churning and closes the connection; the client is then done. */
    void stop() {
        stopped = true;
        final Connection connection = current;
        if (connection != null && connection.session != null) {
            connection.leaving = true;
            connection.session.close(1000, "soak over", Callback.NOOP);
        }
    }

    boolean connected() {
        final Connection connection = current;
        return connection != null && connection.subscribed && connection.session != null && connection.session.isOpen();
    }

    synchronized Stats stats() {
        check.drainAll();
        return new Stats(number, frames, connects, churns, serverCloses, errors, check.checked(), check.missed(),
                check.repeated(), check.reordered(), check.unknown(), check.pending(), check.compacted());
    }

    private synchronized void subscribe(final Session session) {
        connects++;
        final ObjectNode frame = JSON.createObjectNode().put("op", "subscribe").put("id", "soak-" + number + "-" + connects);
        frame.putArray("rooms").add(room);
        if (cursor != null) {
            frame.put("resume", cursor);
        }
        session.sendText(frame.toString(), Callback.NOOP);
    }

    private synchronized void onFrame(final Connection connection, final String text) {
        if (connection != current) {
            return; // a late frame of a connection already given up: its cursor is not the one we resume from
        }
        final JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (final java.io.IOException e) {
            errors++;
            return;
        }
        frames++;
        final String op = frame.path("op").asText();
        switch (op) {
            case "event" -> {
                check.received(frame.path("pos").asText());
                cursor = frame.path("cursor").asText();
            }
            case "subscribed", "replayed" -> {
                connection.subscribed = true;
                if (frame.hasNonNull("cursor")) {
                    cursor = frame.get("cursor").asText();
                }
            }
            case "error" -> {
                errors++;
                if ("unavailable".equals(frame.path("code").asText())) {
                    // The gateway dropped the subscription (history unreadable for now): subscribe again, same cursor.
                    connection.subscribed = false;
                    scheduler.schedule(() -> subscribe(connection.session), 1, TimeUnit.SECONDS);
                }
            }
            default -> {
                // presence, snapshot, pong: not checked here
            }
        }
    }

    private synchronized void onServerClose(final Connection connection, final int code) {
        if (connection.ended) {
            return; // an error and a close for the same connection: come back once
        }
        connection.ended = true;
        if (connection == current && !connection.leaving && !stopped) {
            serverCloses++;
            reconnectLater(Duration.ofMillis(code == 1001 ? 1000 + random.nextLong(2000) : 200));
        }
    }

    /** One WebSocket connection of the client; frames are read one at a time. Public: Jetty calls it by method handle. */
    public final class Connection implements Session.Listener {
        private volatile Session session;
        private volatile boolean subscribed;
        private volatile boolean leaving;
        private boolean ended;

        /** Text frames received on this connection and the count last acknowledged (Jetty calls one frame at a time). */
        private long received;
        private long acked;

        @Override
        public void onWebSocketOpen(final Session s) {
            session = s;
            if (window > 0) {
                s.sendText("{\"op\":\"flow\",\"id\":\"soak-flow\",\"window\":" + window + "}", Callback.NOOP);
            }
            subscribe(s);
            s.demand();
        }

        @Override
        public void onWebSocketText(final String text) {
            received++;
            onFrame(this, text);
            if (window > 0 && received - acked >= window / 2) {
                acked = received;
                session.sendText("{\"op\":\"ack\",\"received\":" + received + "}", Callback.NOOP);
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
            onServerClose(this, statusCode);
        }

        @Override
        public void onWebSocketError(final Throwable cause) {
            onServerClose(this, -1);
        }
    }

    /** One client's counts. */
    record Stats(int client, long frames, long connects, long churns, long serverCloses, long errors, long checked,
                 long missed, long repeated, long reordered, long unknown, long pending, long compacted) {
    }
}
