package io.sitewire.streams.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sitewire.streams.StreamsApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The app's HTTP endpoint (JDK server, one small thread; probes and scrapes are rare and cheap):
 * {@code GET /healthz} (200 while {@link Health#live live}, else 503), {@code GET /readyz} (200 when
 * {@link Health#ready ready}, else 503), {@code GET /metrics} (Prometheus text: Kafka Streams and client metrics per
 * instance via Micrometer's {@link KafkaStreamsMetrics}, tagged {@code instance}; JVM; {@link ProcessMetrics}).
 */
public final class StreamsHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<KafkaStreamsMetrics> binders = new ArrayList<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private StreamsHttpServer(final StreamsApp app, final InetSocketAddress address) throws IOException {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        app.instancesByName().forEach((name, streams) -> {
            final KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, List.of(Tag.of("instance", name)));
            binder.bindTo(registry);
            binders.add(binder);
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
        ProcessMetrics.bindTo(registry);

        server = HttpServer.create(address, 0);
        executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "sitewire-streams-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> verdict(exchange, () -> Health.live(app.health(), app.failure())));
        server.createContext("/readyz", exchange -> verdict(exchange, () -> Health.ready(app.health(), app.failure())));
        server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.start();
    }

    /** Starts serving on {@code host:port} (port 0: any free port, see {@link #port()}). */
    public static StreamsHttpServer start(final StreamsApp app, final String host, final int port) throws IOException {
        return new StreamsHttpServer(app, new InetSocketAddress(host, port));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void verdict(final HttpExchange exchange, final Supplier<Health.Verdict> check) throws IOException {
        final Health.Verdict verdict = check.get();
        answer(exchange, verdict.ok() ? 200 : 503, "text/plain; charset=utf-8", verdict.reason());
    }

    private static void answer(final HttpExchange exchange, final int status, final String type, final String body)
            throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            final boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        binders.forEach(KafkaStreamsMetrics::close);
        gc.close();
    }
}
