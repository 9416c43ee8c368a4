package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sitewire.events.Alert;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client's own behaviour (retries, backoff, error mapping, headers, caches) against a scripted HTTP server
 * on a loopback port; the same client against a real Apicurio Registry is {@code HttpSchemaRegistryClientIT}.
 */
class HttpSchemaRegistryClientTest {

    private static final Schema ALERT = AvroSchemas.forClass(Alert.class);
    private static final String ALERT_JSON = "{\"schema\":" + quote(ALERT.toString()) + "}";

    private ScriptedServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void fiveHundredsAreRetriedWithBackoffUntilTheRegistryAnswers() {
        // Given a registry that fails twice with 503, then answers
        server.answer(503, "{\"error_code\":50301,\"message\":\"warming up\"}");
        server.answer(503, "{\"error_code\":50301,\"message\":\"warming up\"}");
        server.answer(200, "{\"id\":41}");
        final SchemaRegistryClient client = client(5, 30, 1000);

        // When a schema is registered
        final long start = System.nanoTime();
        final int id = client.register("alerts-value", ALERT);
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Then the third attempt's answer counts, after two backoff pauses (about 30 + 60 ms, less jitter)
        assertThat(id).isEqualTo(41);
        assertThat(server.requests).hasSize(3);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(70));
    }

    @Test
    void fourHundredsAreNotRetriedAndCarryTheRegistrysErrorCode() {
        // Given a registry that says the subject does not exist
        server.answer(404, "{\"error_code\":40401,\"message\":\"Subject 'alerts-value' not found.\"}");
        final SchemaRegistryClient client = client(5, 30, 1000);

        // When / Then
        assertThatThrownBy(() -> client.idOf("alerts-value", ALERT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isSubjectNotFound()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.subject()).isEqualTo("alerts-value");
                    assertThat(e.isUnreachable()).isFalse();
                })
                .hasMessage("Schema registry " + server.url() + ": look up schema for subject 'alerts-value' failed:"
                        + " HTTP 404, error_code 40401: Subject 'alerts-value' not found.");
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void aRegistryThatStaysDownFailsAfterTheConfiguredAttempts() {
        // Given a registry that answers 502 every time
        for (int i = 0; i < 4; i++) {
            server.answer(502, "<html>Bad Gateway</html>");
        }
        final SchemaRegistryClient client = client(4, 10, 20);

        // When / Then
        assertThatThrownBy(() -> client.versions("alerts-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isUnreachable()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(502);
                })
                .hasMessageStartingWith("Schema registry " + server.url() + " unreachable: list versions for subject"
                        + " 'alerts-value' failed after 4 attempts in ")
                .hasMessageEndingWith(" s: HTTP 502");
        assertThat(server.requests).hasSize(4);
    }

    @Test
    void aClosedPortIsRetriedThenReportedWithTheConnectError() throws IOException {
        // Given nothing listening at the registry's address
        final String url = "http://127.0.0.1:" + AvroSerdeTest.closedPort() + "/apis/ccompat/v7";
        final SchemaRegistryClient client = HttpSchemaRegistryClient.builder(url).maxAttempts(3)
                .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(80)).build();

        // When / Then: three attempts, two pauses of at least 40 and 64 ms (jitter takes off at most a fifth)
        final long start = System.nanoTime();
        assertThatThrownBy(() -> client.byId(7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isUnreachable()).isTrue();
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.operation()).isEqualTo("get schema id 7");
                })
                .hasMessageStartingWith("Schema registry " + url + " unreachable: get schema id 7 failed after 3 "
                        + "attempts in ")
                .hasMessageContaining("java.net.ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(104));
    }

    @Test
    void schemaByIdWithoutSchemaTypeIsAvroAndIsCachedForever() {
        // Given a registry that, like Apicurio, leaves schemaType out
        server.answer(200, ALERT_JSON);
        final SchemaRegistryClient client = client(2, 10, 20);

        // When the schema is fetched, the server goes away, and it is fetched again
        final Schema first = client.byId(9);
        server.stop();
        final Schema second = client.byId(9);

        // Then both are the Alert schema and only one request was made
        assertThat(first).isEqualTo(ALERT);
        assertThat(second).isSameAs(first);
        assertThat(server.requests).containsExactly("GET /apis/ccompat/v7/schemas/ids/9");
    }

    @Test
    void aSchemaThatIsNotAvroIsRefused() {
        server.answer(200, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

        assertThatThrownBy(() -> client(1, 10, 20).byId(3))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema id 3 is a PROTOBUF schema, not Avro");
    }

    @Test
    void registeredIdsAreCachedSoTheHotPathNeedsNoRegistry() {
        // Given a schema registered once
        server.answer(200, "{\"id\":12}");
        final SchemaRegistryClient client = client(1, 10, 20);
        client.register("alerts-value", ALERT);

        // When the registry is gone, and the same schema is registered, looked up and fetched by id
        server.stop();

        // Then the cache answers all three
        assertThat(client.register("alerts-value", ALERT)).isEqualTo(12);
        assertThat(client.idOf("alerts-value", ALERT)).isEqualTo(12);
        assertThat(client.byId(12)).isEqualTo(ALERT);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void requestsUseTheRegistryMediaTypeBasicAuthAndExtraHeaders() {
        // Given credentials in the URL and an extra header
        server.answer(200, "{\"is_compatible\":false}");
        final String url = server.url().replace("http://", "http://svc%40sitewire:s3cr%3At@");
        final HttpSchemaRegistryClient client = HttpSchemaRegistryClient.builder(url)
                .header("X-Tenant", "tower-7").build();

        // When a compatibility check is made
        final boolean compatible = client.isCompatible("alerts/v2-value", ALERT);

        // Then the request carries them, the subject is encoded, and the URL in messages has no secret in it
        assertThat(compatible).isFalse();
        assertThat(client.url()).isEqualTo(server.url());
        assertThat(server.requests).containsExactly(
                "POST /apis/ccompat/v7/compatibility/subjects/alerts%2Fv2-value/versions/latest");
        final HttpExchangeCopy request = server.exchanges.get(0);
        assertThat(request.authorization).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("svc@sitewire:s3cr:t".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.tenant).isEqualTo("tower-7");
        assertThat(request.contentType).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.body).isEqualTo(ALERT_JSON);
    }

    @Test
    void compatibilityWithNoSubjectYetIsTrue() {
        server.answer(404, "{\"error_code\":40401,\"message\":\"Subject 'new-value' not found.\"}");

        assertThat(client(1, 10, 20).isCompatible("new-value", ALERT)).isTrue();
    }

    @Test
    void setCompatibilityPutsTheLevel() {
        server.answer(200, "{\"compatibility\":\"BACKWARD\"}");

        client(1, 10, 20).setCompatibility("alerts-value", "BACKWARD");

        assertThat(server.requests).containsExactly("PUT /apis/ccompat/v7/config/alerts-value");
        assertThat(server.exchanges.get(0).body).isEqualTo("{\"compatibility\":\"BACKWARD\"}");
    }

    @Test
    void anErrorPageThatIsNotJsonIsReportedAsIs() {
        server.answer(401, "<html>Unauthorized</html>");

        assertThatThrownBy(() -> client(3, 10, 20).register("alerts-value", ALERT))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(401))
                .hasMessageEndingWith("HTTP 401, error_code 401: <html>Unauthorized</html>");
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void badUrlsAreRefusedUpFront() {
        assertThatThrownBy(() -> HttpSchemaRegistryClient.builder("localhost:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not an http(s) schema registry URL");
    }

    private SchemaRegistryClient client(final int attempts, final long backoffMs, final long maxBackoffMs) {
        return HttpSchemaRegistryClient.builder(server.url()).maxAttempts(attempts)
                .initialBackoff(Duration.ofMillis(backoffMs)).maxBackoff(Duration.ofMillis(maxBackoffMs))
                .requestTimeout(Duration.ofSeconds(2)).build();
    }

    private static String quote(final String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** What we check of a request, copied before the exchange is closed. */
    private record HttpExchangeCopy(String authorization, String tenant, String contentType, String body) {
    }

    /** Answers each request with the next scripted response, and remembers the requests. */
    private static final class ScriptedServer {

        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<HttpExchangeCopy> exchanges = new CopyOnWriteArrayList<>();
        private final Deque<Integer> statuses = new ArrayDeque<>();
        private final Deque<String> bodies = new ArrayDeque<>();
        private final HttpServer http;
        private boolean stopped;

        ScriptedServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/apis/ccompat/v7";
        }

        synchronized void answer(final int status, final String body) {
            statuses.add(status);
            bodies.add(body);
        }

        synchronized void stop() {
            if (!stopped) {
                stopped = true;
                http.stop(0);
            }
        }

        private void handle(final HttpExchange exchange) throws IOException {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            exchanges.add(new HttpExchangeCopy(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Tenant"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            final int status;
            final String body;
            synchronized (this) {
                status = statuses.isEmpty() ? 500 : statuses.poll();
                body = bodies.isEmpty() ? "{\"error_code\":50001,\"message\":\"no scripted answer\"}" : bodies.poll();
            }
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
