package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.json.AvroJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest sink against a stand-in HTTP server that answers as POST /v1/events does (202, 503 with Retry-After,
 * 400): checks the request's form and the sink's retry and failure handling. The real gateway's ingest is tested in
 * ws-gateway.
 */
class HttpIngestSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/events", exchange -> {
            requests.incrementAndGet();
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            final JsonNode body = JSON.readTree(exchange.getRequestBody());
            final int status = answers.isEmpty() ? 202 : answers.poll();
            final String answer;
            if (status == 202) {
                bodies.add(body);
                answer = "{\"accepted\":" + body.size() + ",\"positions\":[]}";
            } else if (status == 503) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                answer = "{\"error\":\"unavailable\"}";
            } else {
                answer = "{\"errors\":[{\"index\":0,\"errors\":[\"$.value: bad\"]}]}";
            }
            final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/events");
    }

    private static List<SpecificRecord> events(final int n) {
        final List<SpecificRecord> events = new ArrayList<>();
        final SiteModel model = new SiteModel(ModelRun.small().build(), ModelRun.START);
        for (long t = ModelRun.START; events.size() < n; t += 1000) {
            events.addAll(model.step(t));
        }
        return events.subList(0, n);
    }

    @Test
    void postsBatchesOfTypedJsonEventsWithTheDeviceToken() throws Exception {
        // Given 1200 events and batches of 500
        final List<SpecificRecord> events = events(1200);
        final Outcomes outcomes = new Outcomes();
        try (HttpIngestSink sink = new HttpIngestSink(url(), "device-jwt", 500, 2, Duration.ofSeconds(10))) {
            // When they are sent and flushed
            sink.send(events, outcomes);
            assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(sink.inFlight()).isZero();
        }

        // Then three requests carried them, each a JSON array of {type, data} in the records' JSON form
        assertThat(outcomes.delivered).hasSize(1200);
        assertThat(outcomes.failed).isEmpty();
        assertThat(authorizations).hasSize(3).containsOnly("Bearer device-jwt");
        assertThat(bodies).extracting(JsonNode::size).containsExactlyInAnyOrder(500, 500, 200);
        final List<SpecificRecord> decoded = new ArrayList<>();
        for (final JsonNode body : bodies) {
            for (final JsonNode item : body) {
                final EventType type = EventType.byJsonName(item.get("type").asText()).orElseThrow();
                decoded.add(AvroJson.fromJson(item.get("data"), type.type()));
            }
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void retriesA503AfterItsRetryAfterAndFailsA400() throws Exception {
        // Given a server that answers 503 once, then 202; then 400
        answers.add(503);
        final Outcomes outcomes = new Outcomes();
        try (HttpIngestSink sink = new HttpIngestSink(url(), "t", 100, 1, Duration.ofSeconds(10))) {
            // When a batch goes through the 503
            sink.send(events(100), outcomes);
            assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();

            // Then it was retried and delivered
            assertThat(requests.get()).isEqualTo(2);
            assertThat(outcomes.delivered).hasSize(100);

            // When the next batch is refused as invalid
            answers.add(400);
            sink.send(events(100), outcomes);
            assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
        }

        // Then it is not retried, and its events are failed with the server's answer
        assertThat(requests.get()).isEqualTo(3);
        assertThat(outcomes.failed).hasSize(100);
        assertThat(outcomes.errors.get(0)).contains("HTTP 400").contains("$.value: bad");
    }

    private static final class Outcomes implements EventSink.Delivery {
        final List<SpecificRecord> delivered = new CopyOnWriteArrayList<>();
        final List<SpecificRecord> failed = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void delivered(final SpecificRecord event) {
            delivered.add(event);
        }

        @Override
        public void failed(final SpecificRecord event, final Exception error) {
            failed.add(event);
            errors.add(error.getMessage());
        }
    }
}
