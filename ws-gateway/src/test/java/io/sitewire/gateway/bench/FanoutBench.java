package io.sitewire.gateway.bench;

import io.sitewire.events.Priority;
import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.it.Alerts;
import io.sitewire.gateway.it.GatewayFixture;
import io.sitewire.gateway.it.TestAccess;
import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Fan-out measurement (run, not asserted): N idle WebSocket clients in THIS JVM (clients and gateway share
 * the 2 cores, so the numbers are a floor), all in one room of one project on one gateway.
 * <ol>
 *   <li>heap per idle subscribed connection (gateway + client side together: heap after GC, before/after)</li>
 *   <li>emergency time-to-last-client: one EMERGENCY published, time until all N clients have it</li>
 *   <li>fan-out deliveries/s: M NORMAL alerts published at once, N x M deliveries, time until the last arrives</li>
 * </ol>
 * Usage: FanoutBench [clients=1000] [events=2000] [permessage-deflate=true]
 */
public final class FanoutBench {

    private FanoutBench() {
    }

    /** A client that only counts events and notes when it got each EMERGENCY. */
    public static final class Counter implements Session.Listener.AutoDemanding {
        final AtomicLong events = new AtomicLong();
        volatile long lastEmergencyNanos;
        volatile boolean subscribed;
        volatile Session session;

        @Override
        public void onWebSocketOpen(final Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(final String text) {
            if (text.startsWith("{\"op\":\"event\"")) {
                events.incrementAndGet();
                if (text.contains("\"priority\":\"EMERGENCY\"")) {
                    lastEmergencyNanos = System.nanoTime();
                }
            } else if (text.startsWith("{\"op\":\"subscribed\"")) {
                subscribed = true;
            }
        }
    }

    public static void main(final String[] args) throws Exception {
        try {
            run(args);
        } catch (final Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(final String[] args) throws Exception {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int m = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        final boolean deflate = args.length <= 2 || Boolean.parseBoolean(args[2]);
        System.out.printf("clients %d, events %d, permessage-deflate %s%n", n, m, deflate);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (EmbeddedKafka kafka = EmbeddedKafka.startSingleNode();
             ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.Options.defaults());
             GatewayFixture fx = new GatewayFixture(kafka.bootstrapServers(), registry.ccompatUrl())) {
            final GatewayServer gw = fx.gateway(Map.of("ws.send.queue.frames", "100000", "ws.idle.timeout", "120s", "ws.heartbeat.interval", "20s"), new TestAccess());
            final WebSocketClient client = new WebSocketClient();
            client.setMaxTextMessageSize(1 << 20);
            client.start();
            final String p = "bench";
            final String token = TestAccess.token("bench", p);
            while (!gw.ready()) {
                Thread.onSpinWait();
            }
            final long before = heapAfterGc(memory);
            final List<Counter> clients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final Counter c = new Counter();
                final ClientUpgradeRequest request = new ClientUpgradeRequest();
                request.setHeader("Authorization", "Bearer " + token);
                if (deflate) {
                    request.addExtensions("permessage-deflate");
                }
                client.connect(c, gw.streamUri(), request).get(30, TimeUnit.SECONDS);
                c.session.sendText("{\"op\":\"subscribe\",\"id\":\"s\",\"rooms\":[\"project:" + p + "\"]}", Callback.NOOP);
                clients.add(c);
            }
            waitUntil(() -> clients.stream().allMatch(c -> c.subscribed), 120);
            final long after = heapAfterGc(memory);
            System.out.printf("connections: %d, heap before %.1f MB, after %.1f MB: %.1f KB per idle subscribed connection"
                    + " (gateway and client side together, same JVM)%n", n, before / 1e6, after / 1e6, (after - before) / 1024.0 / n);

            // Emergency time-to-last-client, 5 times on an idle gateway
            final long[] ttl = new long[5];
            for (int round = 0; round < ttl.length; round++) {
                final long expected = clients.get(0).events.get() + 1;
                final long t0 = System.nanoTime();
                fx.publish(Alerts.alert(p, Priority.EMERGENCY, 1_000_000 + round)).get();
                waitUntil(() -> clients.stream().allMatch(c -> c.events.get() >= expected), 60);
                final long last = clients.stream().mapToLong(c -> c.lastEmergencyNanos).max().orElseThrow();
                ttl[round] = last - t0;
            }
            Arrays.sort(ttl);
            System.out.printf("EMERGENCY publish -> last of %d clients: median %.1f ms, max %.1f ms (5 rounds, includes the producer's acks=all)%n",
                    n, ttl[2] / 1e6, ttl[4] / 1e6);

            // Fan-out throughput
            final long base = clients.stream().mapToLong(c -> c.events.get()).sum();
            final long t0 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                fx.publish(Alerts.alert(p, Priority.NORMAL, i));
            }
            fx.flush();
            final long target = base + (long) n * m;
            waitUntil(() -> clients.stream().mapToLong(c -> c.events.get()).sum() >= target, 600);
            final double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("fan-out: %d events x %d clients = %d deliveries in %.2f s: %.0f deliveries/s (%.0f events/s in)%n",
                    m, n, (long) n * m, seconds, n * (double) m / seconds, m / seconds);
            System.out.printf("frames sent (NORMAL) per gateway metrics: %.0f%n", gw.metrics().framesSent(Priority.NORMAL));
            client.stop();
            gw.close();
        }
    }

    private static long heapAfterGc(final MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void waitUntil(final java.util.function.BooleanSupplier condition, final int seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}
