package io.sitewire.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command as a user meets it: a separate JVM runs {@code sitewire up}, prints where things
 * listen, stops cleanly on SIGTERM (what Ctrl-C sends through the shell's process group, as SIGINT),
 * and finds its data again on the next start.
 */
class SitewireUpIT {

    @TempDir
    Path dataDir;

    @Test
    void startsProvisionsStopsCleanlyAndKeepsItsDataAcrossARestart() throws Exception {
        final int kafkaPort = freePort();
        final int registryPort = freePort();
        final int gatewayPort = freePort();

        // Given a first run that provisions topics and registers a schema
        String registryUrl;
        try (Launched first = Launched.up(dataDir, kafkaPort, registryPort, "--fresh", "--workers", "50", "--gateway-port", Integer.toString(gatewayPort))) {
            first.awaitLine("Press Ctrl-C to stop.");
            assertThat(first.output()).contains("Provisioning topics (the schema registry still boots) ... done", "topics: 20 created",
                    "Registering the event schemas ... done",
                    "Kafka bootstrap servers: 127.0.0.1:" + kafkaPort, "Starting the streams app", "Starting the gateway",
                    "Starting the site simulator");
            // The dashboard URL it prints serves the page, and the gateway is ready
            final String dashboard = first.output().lines().filter(l -> l.contains("Dashboard:")).findFirst().orElseThrow()
                    .replaceFirst(".*Dashboard:\\s+", "");
            assertThat(dashboard).startsWith("http://127.0.0.1:" + gatewayPort + "/?token=");
            assertThat(get(dashboard)).contains("<html");
            assertThat(get("http://127.0.0.1:" + gatewayPort + "/readyz")).isNotBlank();
            // A device posts a reading through the real gateway wiring: accepted with its Kafka position
            final String deviceToken = first.output().lines().filter(l -> l.contains("device (POST /v1/events):")).findFirst()
                    .orElseThrow().replaceFirst(".*device \\(POST /v1/events\\):\\s+", "");
            final HttpResponse<String> ingest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gatewayPort + "/v1/events"))
                    .header("Authorization", "Bearer " + deviceToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"type\":\"sensor_reading\",\"data\":{\"projectId\":\"demo\","
                            + "\"sensorId\":\"s-it\",\"zone\":\"basement\",\"metric\":\"co_ppm\",\"value\":12.5,"
                            + "\"eventTime\":" + System.currentTimeMillis() + "}}]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(202);
            assertThat(ingest.body()).contains("\"accepted\":1", "sitewire.sensor-readings");
            registryUrl = "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
            try (Admin admin = admin(kafkaPort)) {
                assertThat(admin.listTopics().names().get()).contains("sitewire.alerts.emergency", "sitewire.sensor-readings");
                admin.createTopics(List.of(new NewTopic("launcher-it-marker", 1, (short) 1))).all().get();
            }
            assertThat(post(registryUrl + "/subjects/launcher-it-value/versions",
                    "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}")).contains("\"id\"");

            // When it is stopped the way Ctrl-C stops it (the launcher handles SIGTERM as it does SIGINT)
            final long stopping = System.nanoTime();
            first.stop();
            System.out.printf("sitewire up stopped %.1f s after the signal%n", (System.nanoTime() - stopping) / 1e9);
            assertThat(first.exitCode()).isZero();
            // Then every part says it stopped, with how long it took: each part has a budget, none was overrun
            assertThat(first.output()).contains("Stopping Sitewire");
            for (final String part : List.of("site simulator (checking workers out)", "gateway", "streams app",
                    "schema registry", "Kafka")) {
                assertThat(first.output()).containsPattern("\\n  " + java.util.regex.Pattern.quote(part) + " \\.\\.\\. stopped in \\d+\\.\\d s\\n");
            }
            assertThat(first.output()).containsPattern("Stopped in \\d+\\.\\d s \\(5 of 5 parts stopped\\)\\.");
        }

        // Then a second run on the same folder finds the topics as catalogued and the schema still there
        try (Launched second = Launched.up(dataDir, kafkaPort, registryPort, "--no-simulator", "--gateway-port", Integer.toString(gatewayPort))) {
            second.awaitLine("Press Ctrl-C to stop.");
            assertThat(second.output()).contains("topics: 0 created, 20 as catalogued, 0 drifted");
            try (Admin admin = admin(kafkaPort)) {
                assertThat(admin.listTopics().names().get()).contains("launcher-it-marker");
            }
            assertThat(get(registryUrl + "/subjects")).contains("launcher-it-value");

            // When a second signal comes while it is stopping
            second.signal();
            second.awaitLine("Stopping Sitewire (Ctrl-C again to exit at once) ...");
            second.stop();

            // Then it exits at once with 130, says so, and leaves no registry process behind on its port
            assertThat(second.exitCode()).isEqualTo(130);
            assertThat(second.output()).contains("Second Ctrl-C: exiting now");
            await().atMost(Duration.ofSeconds(30)).until(() -> portFree(registryPort));
        }
    }

    @Test
    void aPortInUseIsNamedWithTheOptionThatAvoidsIt() throws Exception {
        // Given the Kafka port already taken
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // When sitewire up is asked to use it
            try (Launched run = Launched.up(dataDir, taken.getLocalPort(), freePort(), "--gateway-port", Integer.toString(freePort()))) {
                // Then it exits with a message naming the port and the way out
                assertThat(run.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                run.reader.join(Duration.ofSeconds(10).toMillis());
                assertThat(run.exitCode()).isEqualTo(2);
                assertThat(run.output()).contains("port " + taken.getLocalPort() + " for the Kafka broker is in use", "--kafka-port");
            }
        }
    }

    private static Admin admin(final int port) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
    }

    private static String post(final String url, final String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String get(final String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static boolean portFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code sitewire up} in its own JVM, with its output collected line by line. */
    private static final class Launched implements AutoCloseable {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private Launched(final Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (final IOException ignored) {
                    // the process ended
                }
            }, "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Launched up(final Path dataDir, final int kafkaPort, final int registryPort, final String... extra) throws IOException {
            final List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dsitewire.log.dir=" + dataDir.resolveSibling(dataDir.getFileName() + "-logs"),
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.sitewire.events",
                    "-cp", System.getProperty("java.class.path"), Sitewire.class.getName(), "up",
                    "--data-dir", dataDir.toString(), "--kafka-port", Integer.toString(kafkaPort),
                    "--registry-port", Integer.toString(registryPort)));
            command.addAll(List.of(extra));
            Files.createDirectories(dataDir);
            return new Launched(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        void awaitLine(final String line) {
            try {
                // Generous: on a shared 2-core machine under heavy load one start has taken over 3 minutes.
                await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(200))
                        .failFast("sitewire up exited early", () -> !process.isAlive())
                        .until(() -> lines.contains(line));
            } catch (final RuntimeException e) {
                throw new AssertionError("no line '" + line + "' from sitewire up; its output:\n" + output(), e);
            }
        }

        /** SIGTERM, which the launcher handles as Ctrl-C; does not wait. */
        void signal() {
            // Process.destroy() would also close our end of the pipe and lose the last lines; the handle only signals.
            process.toHandle().destroy();
        }

        void stop() throws InterruptedException {
            signal();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
            reader.join(Duration.ofSeconds(10).toMillis()); // the last lines are read once the pipe reaches its end
        }

        int exitCode() {
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
