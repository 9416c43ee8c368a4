package io.sitewire.gateway.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty server on a free port with only the handler under test, and a real java.net.http client. */
final class IngestServer implements AutoCloseable {

    private final Server server = new Server();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI events;

    IngestServer(final Handler handler) throws Exception {
        final ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        events = URI.create("http://127.0.0.1:" + connector.getLocalPort() + IngestHandler.PATH);
    }

    URI events() {
        return events;
    }

    HttpResponse<String> post(final String token, final String contentType, final String body) throws Exception {
        return postAsync(token, contentType, HttpRequest.BodyPublishers.ofString(body)).get();
    }

    CompletableFuture<HttpResponse<String>> postAsync(final String token, final String contentType,
            final HttpRequest.BodyPublisher body) {
        return send(events, "POST", token, contentType, body);
    }

    CompletableFuture<HttpResponse<String>> send(final URI uri, final String method, final String token,
            final String contentType, final HttpRequest.BodyPublisher body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).method(method, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop(); // HttpClient has no close() before Java 21; its threads are daemons
        } catch (final Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
