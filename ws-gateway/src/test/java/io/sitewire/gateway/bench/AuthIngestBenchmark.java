package io.sitewire.gateway.bench;

import com.nimbusds.jose.jwk.RSAKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.AuthException;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.ingest.IngestConfig;
import io.sitewire.gateway.ingest.IngestHandler;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Not a test: a benchmark run by hand (see docs/security-auth.md). Measures token verification per second (HS256,
 * RS256) and the ingest handler's own cost per event (HTTP + parse + validate + Avro encode) with Kafka's
 * MockProducer acknowledging at once, so the broker is not measured.
 */
public final class AuthIngestBenchmark {

    private static final String SECRET = "benchmark-secret-0123456789abcdef0123456789";

    public static void main(final String[] args) throws Exception {
        final RSAKey key = TestTokens.newRsaKey("bench");
        final Path jwks = Files.createTempFile("jwks", ".json");
        Files.writeString(jwks, TestTokens.jwks(key));
        final TokenVerifier verifier = TokenVerifier.fromConfig(new AuthConfig(Optional.of(SECRET), Optional.of(jwks),
                Duration.ofSeconds(30)));
        final String hs = TestTokens.hs256(SECRET, "bench", List.of("p1", "p2"), List.of("worker"), List.of("electrician"),
                Duration.ofHours(1));
        final String rs = TestTokens.rs256(key, "bench", List.of("p1", "p2"), List.of("worker"), List.of("electrician"),
                Duration.ofHours(1));
        verifyRate("HS256", verifier, hs);
        verifyRate("RS256", verifier, rs);
        ingestRate(verifier);
        Files.delete(jwks);
    }

    private static void verifyRate(final String name, final TokenVerifier verifier, final String token) throws AuthException {
        for (int i = 0; i < 20_000; i++) {
            verifier.verify(token); // warm-up
        }
        final int rounds = 100_000;
        final long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            verifier.verify(token);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s verify: %,.0f tokens/s, %.1f us each (1 thread, %d rounds)%n", name,
                rounds / seconds, seconds * 1e6 / rounds, rounds);
    }

    private static void ingestRate(final TokenVerifier verifier) throws Exception {
        final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        final Server server = new Server();
        final ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new IngestHandler(verifier, producer, new InMemorySchemaRegistry(), TopicCatalogue.LIVE,
                IngestConfig.defaults(), new SimpleMeterRegistry()));
        server.start();
        try {
            final URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + IngestHandler.PATH);
            final String token = TestTokens.hs256(SECRET, "dev", List.of("p1"), List.of("device"), List.of(), Duration.ofHours(1));
            final StringBuilder body = new StringBuilder();
            final int perRequest = 1000;
            for (int i = 0; i < perRequest; i++) {
                body.append(String.format(Locale.ROOT, "{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\"p1\","
                        + "\"sensorId\":\"gas-%d\",\"zone\":\"basement\",\"metric\":\"co_ppm\",\"value\":%d.5,"
                        + "\"eventTime\":%d}}%n", i % 50, i % 40, 1_764_064_800_000L + i));
            }
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            for (int i = 0; i < 50; i++) {
                check(client.send(request, HttpResponse.BodyHandlers.ofString()));
                producer.clear();
            }
            final int requests = 200;
            final long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                check(client.send(request, HttpResponse.BodyHandlers.ofString()));
                producer.clear();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "ingest (MockProducer): %,.0f events/s, %.1f ms per %d-event NDJSON request "
                    + "(%d bytes; 1 client, sequential)%n", requests * perRequest / seconds, seconds * 1e3 / requests,
                    perRequest, body.length());
        } finally {
            server.stop();
        }
    }

    private static void check(final HttpResponse<String> response) {
        if (response.statusCode() != 202) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
    }
}
