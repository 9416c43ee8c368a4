package io.sitewire.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser test's handle on the Java side, on loopback: {@code POST /emit/positions}, {@code /emit/emergency},
 * {@code /emit/alerts?count=N}, {@code /emit/clear?alertId=ID}, {@code /emit/evacuation}. Each produces through
 * {@link SiteScript} and answers, as JSON, what it produced once Kafka acknowledged it. CORS is open so that the
 * page itself can make the emergency call and time it in its own clock.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private ControlServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ControlServer start(final SiteScript site) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "dashboard-control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/emit/", exchange -> handle(exchange, site));
        server.start();
        return new ControlServer(server, executor);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void handle(final HttpExchange exchange, final SiteScript site) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, Map.of("error", "POST only"));
                return;
            }
            final Map<String, String> query = query(exchange.getRequestURI());
            final String what = exchange.getRequestURI().getPath().substring("/emit/".length());
            try {
                final Object answer = switch (what) {
                    case "positions" -> site.positions();
                    case "emergency" -> site.emergency();
                    case "alerts" -> site.alerts(Integer.parseInt(query.getOrDefault("count", "1")));
                    case "clear" -> site.clear(query.getOrDefault("alertId", ""));
                    case "evacuation" -> site.evacuation();
                    default -> null;
                };
                if (answer == null) {
                    reply(exchange, 404, Map.of("error", "no /emit/" + what));
                } else {
                    reply(exchange, 200, answer);
                }
            } catch (final Exception e) {
                LOG.warn("control call /emit/{} failed", what, e);
                reply(exchange, 500, Map.of("error", String.valueOf(e)));
            }
        }
    }

    private static Map<String, String> query(final URI uri) {
        final Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (final String pair : uri.getRawQuery().split("&")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(final HttpExchange exchange, final int status, final Object body) throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
