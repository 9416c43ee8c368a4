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
        final MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ingestRate("MockProducer", verifier, mock, TopicCatalogue.LIVE, 1, mock::clear);
        if (List.of(args).contains("kafka")) {
            // A real single-node KRaft broker in this JVM (the broker's work shares the 2 cores with the gateway)
            final TopicCatalogue topics = TopicCatalogue.withPrefix("bench");
            try (io.sitewire.localstack.EmbeddedKafka kafka = io.sitewire.localstack.EmbeddedKafka.startSingleNode();
                 org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                         java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new io.sitewire.schemas.provision.TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60))
                        .provision(List.of(topics.sensorReadings()));
                final java.util.Map<String, Object> settings = new java.util.HashMap<>(IngestConfig.defaults().producerSettings());
                settings.put("bootstrap.servers", kafka.bootstrapServers());
                try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
                             new org.apache.kafka.clients.producer.KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
                    ingestRate("Kafka acks=all, 1 client", verifier, producer, topics, 1, () -> { });
                    ingestRate("Kafka acks=all, 4 clients", verifier, producer, topics, 4, () -> { });
                }
            }
        }
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

    private static void ingestRate(final String name, final TokenVerifier verifier,
            final org.apache.kafka.clients.producer.Producer<String, byte[]> producer, final TopicCatalogue topics,
            final int clients, final Runnable afterRequest) throws Exception {
        final Server server = new Server();
        final ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new IngestHandler(verifier, producer, new InMemorySchemaRegistry(), topics,
                IngestConfig.defaults(), new SimpleMeterRegistry()));
        server.start();
        try {
            final URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + IngestHandler.PATH);
            final int perRequest = 1000;
            final java.util.List<HttpRequest> requests = new java.util.ArrayList<>();
            int bytes = 0;
            for (int c = 0; c < clients; c++) {
                // one project per client: the project is the key, so clients spread over partitions
                final String project = "p" + c;
                final String token = TestTokens.hs256(SECRET, "dev", List.of(project), List.of("device"), List.of(), Duration.ofHours(1));
                final StringBuilder body = new StringBuilder();
                for (int i = 0; i < perRequest; i++) {
                    body.append(String.format(Locale.ROOT, "{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\"%s\","
                            + "\"sensorId\":\"gas-%d\",\"zone\":\"basement\",\"metric\":\"co_ppm\",\"value\":%d.5,"
                            + "\"eventTime\":%d}}%n", project, i % 50, i % 40, 1_764_064_800_000L + i));
                }
                bytes = body.length();
                requests.add(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
            }
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final int warmup = 30;
            final int rounds = 100;
            final java.util.List<Thread> threads = new java.util.ArrayList<>();
            final long[] latencies = new long[clients * rounds];
            final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients + 1);
            for (int c = 0; c < clients; c++) {
                final int id = c;
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < warmup; i++) {
                            check(client.send(requests.get(id), HttpResponse.BodyHandlers.ofString()));
                            afterRequest.run();
                        }
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            final long t0 = System.nanoTime();
                            check(client.send(requests.get(id), HttpResponse.BodyHandlers.ofString()));
                            latencies[id * rounds + i] = System.nanoTime() - t0;
                            afterRequest.run();
                        }
                    } catch (final Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            start.await();
            final long t0 = System.nanoTime();
            for (final Thread thread : threads) {
                thread.join();
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            java.util.Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "ingest (%s): %,.0f events/s; per 1000-event NDJSON request (%d bytes): "
                    + "p50 %.1f ms, p99 %.1f ms%n", name, (double) clients * rounds * perRequest / seconds, bytes,
                    latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
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
