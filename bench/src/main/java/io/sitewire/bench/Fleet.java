package io.sitewire.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Many WebSocket clients spread over a few Jetty {@link WebSocketClient}s (each one hosts thousands of sessions).
 * Handshakes in flight are bounded by a window so that a 10,000-client shift start does not overflow the
 * loopback accept queue; a client the gateway closes unexpectedly (e.g. 4008, slow consumer) reconnects with
 * its last cursor, as a real client would. Nothing here blocks its caller for long: connects run on their own
 * threads, each handshake has a timeout, and closing waits a bounded time, then drops what did not close.
 */
final class Fleet implements AutoCloseable {

    private static final int SESSIONS_PER_CLIENT = 2_500;
    /** How long a handshake may take before it counts as a failed connect (and is retried). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_STOP = Duration.ofSeconds(10);

    private final URI uri;
    private final String token;
    private final Tally tally;
    private final IntSupplier nextSeq;
    private final boolean deflate;
    private final int flowWindow;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<BenchClient> members = new ArrayList<>();
    private final Semaphore window;
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicInteger failedConnects = new AtomicInteger();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "bench-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closing;
    private boolean closed;

    Fleet(final URI uri, final String token, final Tally tally, final IntSupplier nextSeq, final boolean deflate,
          final int flowWindow, final int handshakeWindow) {
        this.uri = uri;
        this.token = token;
        this.tally = tally;
        this.nextSeq = nextSeq;
        this.deflate = deflate;
        this.flowWindow = flowWindow;
        this.window = new Semaphore(handshakeWindow);
    }

    /** The flow-control window each client asks for (frames; 0: none). */
    int flowWindow() {
        return flowWindow;
    }

    int nextSeq() {
        return nextSeq.getAsInt();
    }

    void onSubscribed(final BenchClient client) {
        subscribed.incrementAndGet();
    }

    int subscribedCount() {
        return subscribed.get();
    }

    int failedConnects() {
        return failedConnects.get();
    }

    List<BenchClient> members() {
        return members;
    }

    /** Adds {@code n} clients of {@code room} and starts connecting them all; returns at once. */
    List<BenchClient> add(final int n, final String room, final String fixedTag) throws Exception {
        final List<BenchClient> added = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final BenchClient c = new BenchClient(members.size(), room, fixedTag, tally, this);
            members.add(c);
            added.add(c);
        }
        connectAll(added, "bench-connect");
        return added;
    }

    /** Connects the clients again (each resumes from its cursor); returns at once. */
    void reconnect(final List<BenchClient> list) {
        connectAll(List.copyOf(list), "bench-resume");
    }

    /** On a thread of its own: the handshake window can hold a connect back for as long as handshakes take. */
    private void connectAll(final List<BenchClient> list, final String name) {
        final Thread starter = new Thread(() -> list.forEach(c -> connect(c, 0)), name);
        starter.setDaemon(true);
        starter.start();
    }

    private WebSocketClient clientFor(final BenchClient c) {
        synchronized (clients) {
            final int k = c.index / SESSIONS_PER_CLIENT;
            while (clients.size() <= k) {
                clients.add(newClient(clients.size()));
            }
            return clients.get(k);
        }
    }

    private static WebSocketClient newClient(final int k) {
        // daemon threads: a client that did not stop in time cannot keep the JVM alive after a run
        final QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("bench-ws-" + k);
        threads.setDaemon(true);
        final HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("bench-ws-" + k + "-scheduler", true));
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.setConnectTimeout(30_000);
        final WebSocketClient ws = new WebSocketClient(http);
        ws.setIdleTimeout(Duration.ofMinutes(10));
        ws.setMaxTextMessageSize(1 << 20);
        ws.setConnectTimeout(30_000);
        try {
            ws.start();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot start a WebSocket client", e);
        }
        return ws;
    }

    private void connect(final BenchClient c, final int attempt) {
        try {
            // a permit comes back when a handshake ends, at the latest at its timeout; a closing fleet stops waiting
            while (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                if (closing) {
                    return;
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closing) {
            window.release();
            return;
        }
        final ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        request.setHeader("Authorization", "Bearer " + token);
        if (deflate) {
            request.addExtensions("permessage-deflate");
        }
        try {
            clientFor(c).connect(c.newLink(), request).whenComplete((session, error) -> {
                window.release();
                if (error != null) {
                    retry(c, attempt, error.toString());
                }
            });
        } catch (final Exception e) {
            window.release();
            retry(c, attempt, e.toString());
        }
    }

    private void retry(final BenchClient c, final int attempt, final String why) {
        failedConnects.incrementAndGet();
        if (attempt < 5 && !closing) {
            tally.error("connect of client " + c.index + " failed (attempt " + (attempt + 1) + "): " + why);
            retries.schedule(() -> connect(c, attempt + 1), 200L << attempt, TimeUnit.MILLISECONDS);
        }
    }

    /** A close the bench did not ask for: come back with the last cursor after a short jittered pause. */
    void reconnectSoon(final BenchClient c, final int code, final String reason) {
        if (closing) {
            return;
        }
        tally.reconnects.increment();
        if (tally.unexpectedCloses.sum() <= 5) {
            System.out.println("  client " + c.index + " closed by the gateway: " + code + " " + reason + "; resuming");
        }
        retries.schedule(() -> connect(c, 0), 100 + ThreadLocalRandom.current().nextInt(400), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes every client of the list on purpose and waits up to {@code wait} until they are gone; a close that
     * did not complete by then (its close frame queued behind a backlog at the gateway) is dropped without the
     * handshake. Returns how many had to be dropped.
     */
    int disconnect(final List<BenchClient> list, final Duration wait) throws InterruptedException {
        list.forEach(BenchClient::cut);
        Waits.until(() -> list.stream().noneMatch(BenchClient::connected), wait);
        int dropped = 0;
        for (final BenchClient c : list) {
            if (c.connected()) {
                c.disconnectNow();
                dropped++;
            }
        }
        return dropped;
    }

    /** Closes every client (bounded by {@code wait}, then dropped) and stops the Jetty clients (bounded too). */
    void close(final Duration wait) throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        try {
            disconnect(members, wait);
        } finally {
            retries.shutdownNow();
            final List<WebSocketClient> all;
            synchronized (clients) {
                all = List.copyOf(clients);
            }
            for (final WebSocketClient ws : all) {
                Waits.closeWithin("websocket-client", ws::stop, CLIENT_STOP);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(20));
    }
}
