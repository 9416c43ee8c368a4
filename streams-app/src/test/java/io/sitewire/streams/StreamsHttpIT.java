package io.sitewire.streams;

import static io.sitewire.streams.Events.alarm;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Priority;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.health.ProcessMetrics;
import io.sitewire.streams.health.StreamsHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health and metrics endpoint of a real app on the embedded broker and registry. */
@SitewireStack
class StreamsHttpIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;
    private String run;
    private StackClients clients;
    private StreamsApp app;
    private StreamsHttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void provision(final LocalStack stack) {
        AvroTrust.install();
        run = "ht" + UUID.randomUUID().toString().substring(0, 8);
        clients = new StackClients(stack.bootstrapServers(), stack.registryUrl(), TopicCatalogue.withPrefix(run));
        clients.provision();
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (app != null) {
            app.close();
        }
        clients.close();
    }

    private HttpResponse<String> get(final String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void probesFollowTheInstancesAndMetricsCountTheAlerts() throws IOException {
        // Given the app (site with two threads, emergency with one) and its endpoint, before the app starts
        app = new StreamsApp(clients.appConfig(stateDir, Map.of(StreamsAppConfig.NUM_STREAM_THREADS, "2")),
                clients.registry);
        http = StreamsHttpServer.start(app, "127.0.0.1", 0);
        // Then it is live but not ready
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);

        // When it runs
        app.start();
        // Then ready, with both instances and all their threads in the body
        final HttpResponse<String> ready = Awaitility.await().atMost(WAIT).until(() -> get("/readyz"),
                r -> r.statusCode() == 200);
        assertThat(ready.body()).contains("site RUNNING, threads 2/2").contains("emergency RUNNING, threads 1/1");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        // When a fall alarm comes in
        final long before = ProcessMetrics.alertsWritten(Priority.EMERGENCY);
        clients.send(alarm("site-" + run, "w1", "helmet-1", AlarmKind.FALL, null, System.currentTimeMillis()));
        // Then the process counter and the Prometheus text count it, next to the Kafka Streams metrics of each instance
        Awaitility.await().atMost(WAIT).until(() -> ProcessMetrics.alertsWritten(Priority.EMERGENCY) > before);
        final HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("sitewire_alerts_produced_total{priority=\"EMERGENCY\"}")
                .contains("sitewire_dead_letters_total")
                .containsPattern("kafka_stream_thread_process_total\\{.*instance=\"site\"")
                .containsPattern("kafka_stream_thread_process_total\\{.*instance=\"emergency\"")
                .contains("jvm_memory_used_bytes");

        // When the app is closed
        app.close();
        // Then neither live nor ready
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }
}
