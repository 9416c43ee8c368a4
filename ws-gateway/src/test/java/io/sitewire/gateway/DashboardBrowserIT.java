package io.sitewire.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.dashboard.ControlServer;
import io.sitewire.gateway.dashboard.SiteScript;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sitewire.gateway.fanout.RegistryDecoder;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard (static/index.html on the JS SDK) in a real headless Chromium against the real gateway, real
 * broker and real registry. The browser side is the Node test in src/test/browser (playwright-core driving
 * Debian's Chromium); this class starts everything it talks to, gives it a token and a control server through
 * which it asks for records to be produced to Kafka, and fails with the Node test's output when it fails.
 *
 * <p>Skipped, saying why, where Chromium or Node is not installed (CI installs Chromium).
 */
@SitewireStack
@Tag("integration")
class DashboardBrowserIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserIT.class);
    private static final Path BROWSER_TESTS = Path.of("src/test/browser");
    private static final Duration NODE_TIME_LIMIT = Duration.ofSeconds(150);
    private static final Pattern LATENCY = Pattern.compile("EMERGENCY_TO_DOM_MS=([0-9.]+)");

    @Test
    void theDashboardShowsTheLiveSiteAnEmergencyWithinASecondAndEveryAlertMissedDuringACut(final LocalStack stack) throws Exception {
        final Path chromium = chromium().orElse(null);
        Assumptions.assumeTrue(chromium != null,
                "No Chromium found (env CHROMIUM, /usr/bin/chromium): the dashboard's browser test is skipped. "
                        + "Install it with `apt-get install -y chromium` (CI does).");
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "Node.js/npm not on PATH: the dashboard's browser test is skipped.");
        AvroTrust.install();

        // Given a project of its own on topics of its own, the gateway wired as GatewayMain wires it (HS256 tokens),
        // and a safety officer's token
        final String project = "dash" + UUID.randomUUID().toString().substring(0, 8);
        final String prefix = "dash" + UUID.randomUUID().toString().substring(0, 8);
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60)).provision(catalogue.all());
        }
        final String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
        final GatewayConfig config = GatewayConfig.of(Map.of(
                "port", "0",
                "bind.host", "127.0.0.1",
                "bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.registryUrl(),
                "topic.prefix", prefix,
                "auth.hs256.secret", secret));
        final SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, stack.registryUrl()));
        final String token = TestTokens.hs256(secret, "officer-" + project, List.of(project), List.of("safety_officer"), List.of(),
                Duration.ofHours(1));

        final PrometheusMeterRegistry metrics = GatewayServer.newRegistry();
        try (KafkaProducer<String, SpecificRecord> producer = producer(stack.bootstrapServers(), registry);
             Wiring wiring = Wiring.of(config, registry, metrics);
             GatewayServer gateway = GatewayServer.start(config, wiring.access(), new RegistryDecoder(registry), wiring.ingest(),
                     metrics);
             ControlServer control = ControlServer.start(site(project, catalogue, producer, registry))) {
            await().atMost(Duration.ofSeconds(60)).until(gateway::ready);
            final String dashboardUrl = gateway.uri() + "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                    + "&project=" + project;

            // When the browser test runs against it
            final Map<String, String> env = new HashMap<>();
            env.put("DASHBOARD_URL", dashboardUrl);
            env.put("CONTROL_URL", control.uri().toString());
            env.put("CHROMIUM", chromium.toString());
            env.put("SCREENSHOT", Path.of(System.getProperty("dashboard.screenshot", "target/dashboard/dashboard.png"))
                    .toAbsolutePath().toString());
            final long started = System.nanoTime();
            final Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), env);
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", BROWSER_TESTS, install.output()).isZero();
            final Run browser = run(List.of("node", "--test", "--test-timeout=60000", "test/"), env);
            final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

            // Then every browser check passed, none was skipped, and the emergency was on screen within a second
            assertThat(browser.exitCode()).as("node --test in %s:%n%s", BROWSER_TESTS, browser.output()).isZero();
            assertThat(browser.output()).as(browser.output()).contains("# fail 0").contains("# skipped 0");
            final Matcher latency = LATENCY.matcher(browser.output());
            assertThat(latency.find()).as("the browser test reports the emergency latency:%n%s", browser.output()).isTrue();
            LOG.info("dashboard browser test passed in {} s (npm ci included); emergency-to-DOM {} ms; its output:\n{}", seconds,
                    latency.group(1), browser.output());
        }
    }

    private static SiteScript site(final String project, final TopicCatalogue catalogue,
                                   final KafkaProducer<String, SpecificRecord> producer, final SchemaRegistryClient registry) {
        final SiteScript site = new SiteScript(project, catalogue, producer);
        try (Serializer<SpecificRecord> serializer = AvroSerdes.forGeneratedClasses(registry, false).serializer()) {
            site.prepare(serializer);
        }
        return site;
    }

    private static KafkaProducer<String, SpecificRecord> producer(final String bootstrap, final SchemaRegistryClient registry) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.forGeneratedClasses(registry, false).serializer());
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs a command in src/test/browser with the output (stdout and stderr) captured, within the time limit. */
    private static Run run(final List<String> command, final Map<String, String> env) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(BROWSER_TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        final Process process = builder.start();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (final IOException e) {
                LOG.debug("reading {} output", command, e);
            }
        }, "browser-test-output");
        reader.start();
        if (!process.waitFor(NODE_TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            return new Run(-1, "timed out after " + NODE_TIME_LIMIT + ":\n" + output.toString(StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        return new Run(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    private static Optional<Path> chromium() {
        final String configured = System.getenv("CHROMIUM");
        for (final String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(final String program) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (final String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
