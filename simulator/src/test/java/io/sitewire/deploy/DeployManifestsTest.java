package io.sitewire.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks every manifest under deploy/ without a cluster or a Docker engine (none is reachable here): each YAML
 * parses; the Strimzi topics and the Compose provisioning script are exactly the catalogue (and what the generator
 * writes today); the Kafka cluster is KRaft with 3 controllers and 3 brokers, RF 3 and min.insync.replicas 2; the
 * apps' containers carry only configuration keys the apps read; the gateway's probes hit /healthz and /readyz.
 *
 * <p>The keys the apps read are listed here ({@link #STREAMS_KEYS}, {@link #GATEWAY_KEYS}), copied from
 * StreamsAppConfig, GatewayConfig, AuthConfig and IngestConfig, rather than read through a dependency on the apps
 * (which would make every simulator build compile and test both apps).
 * {@link #theKeyListsMatchTheAppsSourcesWhereTheyArePresent} keeps the lists honest: every listed key must appear as
 * a literal in the app's sources.
 */
class DeployManifestsTest {

    /** Keys of StreamsAppConfig; environment SITEWIRE_<KEY> (upper case, dots as underscores). */
    static final Set<String> STREAMS_KEYS = Set.of("application.id", "bootstrap.servers", "schema.registry.url",
            "state.dir", "topic.prefix", "processing.guarantee", "emergency.processing.guarantee", "commit.interval.ms",
            "emergency.commit.interval.ms", "emergency.separate.instance", "num.stream.threads",
            "emergency.num.stream.threads", "http.port", "http.bind.host", "event.time.max.skew.ms",
            "proximity.inner.fraction", "proximity.hysteresis", "proximity.stale.after.ms", "proximity.grid.cell.m",
            "proximity.stale.check.interval.ms", "presence.missing.after.ms", "presence.missing.check.interval.ms");
    static final String STREAMS_CONFIG_FILE_ENV = "SITEWIRE_STREAMS_CONFIG";

    /** Keys of GatewayConfig and AuthConfig; environment SITEWIRE_<KEY>. */
    static final Set<String> GATEWAY_KEYS = Set.of("port", "bind.host", "bootstrap.servers", "schema.registry.url",
            "topic.prefix", "ws.allowed.origins", "ws.max.frame.bytes", "ws.idle.timeout", "ws.heartbeat.interval",
            "ws.send.queue.frames", "ws.rate.limit.per.second", "ws.rate.limit.burst", "replay.concurrency",
            "replay.timeout", "auth.hs256.secret", "auth.jwks.file", "auth.clock.skew", "auth.issuer", "auth.audience",
            "ingest.max.body.bytes", "ingest.max.events", "ingest.ack.timeout", "ingest.max.concurrent.requests");
    static final String GATEWAY_CONFIG_FILE_ENV = "SITEWIRE_GATEWAY_CONFIG";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static Path root;
    private static Map<Path, List<JsonNode>> documents;

    @BeforeAll
    static void readEverything() throws IOException {
        root = Path.of(System.getProperty("sitewire.root", "..")).toAbsolutePath().normalize();
        assertThat(root.resolve("deploy")).isDirectory();
        documents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("deploy"))) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
                documents.put(root.relativize(file), parse(file));
            }
        }
    }

    private static List<JsonNode> parse(final Path file) throws IOException {
        final List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            final Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                final JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> k8s() {
        return documents.entrySet().stream().filter(e -> e.getKey().startsWith(Path.of("deploy", "k8s")))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    private static List<JsonNode> kind(final String kind) {
        return k8s().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static JsonNode named(final String kind, final String name) {
        return kind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " under deploy/k8s"));
    }

    @Test
    void everyYamlFileParsesAndEveryKubernetesDocumentIsAResource() {
        assertThat(documents.keySet()).contains(Path.of("deploy", "compose", "docker-compose.yml"),
                Path.of("deploy", "k8s", "topics.yaml"), Path.of("deploy", "k8s", "kafka.yaml"),
                Path.of("deploy", "k8s", "streams-app.yaml"), Path.of("deploy", "k8s", "ws-gateway.yaml"));
        documents.forEach((file, docs) -> assertThat(docs).as(file.toString()).isNotEmpty());
        for (final JsonNode doc : k8s()) {
            assertThat(doc.path("apiVersion").asText()).as(doc.toString()).isNotBlank();
            assertThat(doc.path("kind").asText()).as(doc.toString()).isNotBlank();
            if (!"Kustomization".equals(doc.path("kind").asText())) {
                assertThat(doc.path("metadata").path("name").asText()).as(doc.toString()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            }
        }
    }

    @Test
    void theKafkaTopicsAreExactlyTheCatalogue() {
        // Given the KafkaTopic resources, by topic name
        final Map<String, JsonNode> topics = new TreeMap<>();
        for (final JsonNode t : kind("KafkaTopic")) {
            assertThat(topics.put(t.path("spec").path("topicName").asText(), t)).as("duplicate topic").isNull();
        }

        // Then the names are the catalogue's, and each has its partitions, 3 replicas and every config (min ISR 2)
        final TopicCatalogue catalogue = TopicCatalogue.LIVE;
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
                catalogue.all().stream().map(TopicSpec::name).toList());
        for (final TopicSpec<?> spec : catalogue.all()) {
            final JsonNode t = topics.get(spec.name());
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.path("metadata").path("name").asText()).isEqualTo(spec.name());
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(named("Kafka", StrimziTopicsGenerator.CLUSTER).path("metadata").path("name").asText());
            assertThat(t.path("spec").path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(t.path("spec").path("replicas").asInt()).as(spec.name()).isEqualTo(3);
            final Map<String, String> config = new TreeMap<>();
            t.path("spec").path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            assertThat(config).as(spec.name()).isEqualTo(spec.effectiveConfigs((short) 3));
            assertThat(config).as(spec.name()).containsEntry("min.insync.replicas", "2");
            assertThat(config.keySet()).as(spec.name()).containsAll(spec.configs().keySet());
        }
    }

    @Test
    void theGeneratedFilesAreWhatTheGeneratorWritesToday() throws IOException {
        assertThat(Files.readString(root.resolve(StrimziTopicsGenerator.TOPICS_YAML), StandardCharsets.UTF_8))
                .as("deploy/k8s/topics.yaml is stale: run StrimziTopicsGenerator (see its header)")
                .isEqualTo(StrimziTopicsGenerator.strimziTopics(TopicCatalogue.LIVE));
        final Path script = root.resolve(StrimziTopicsGenerator.PROVISION_SCRIPT);
        assertThat(Files.readString(script, StandardCharsets.UTF_8))
                .as("deploy/compose/provision-topics.sh is stale: run StrimziTopicsGenerator")
                .isEqualTo(StrimziTopicsGenerator.provisionScript(TopicCatalogue.LIVE));
        assertThat(Files.isExecutable(script)).as("provision-topics.sh is executable").isTrue();
    }

    @Test
    void theProvisionScriptCreatesEveryCatalogueTopicWithItsSettings() throws Exception {
        // Given a stand-in kafka-topics.sh that records its arguments
        final Path dir = Files.createTempDirectory("provision");
        final Path log = dir.resolve("calls.txt");
        final Path fake = dir.resolve("kafka-topics.sh");
        Files.writeString(fake, "#!/usr/bin/env bash\necho \"$*\" >> '" + log + "'\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        // When the generated script runs against "broker:9092" with it
        final ProcessBuilder withFake = new ProcessBuilder("bash", root.resolve(StrimziTopicsGenerator.PROVISION_SCRIPT)
                .toString(), "broker:9092").redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        withFake.environment().put("KAFKA_TOPICS", fake.toString());
        final Process run = withFake.start();
        run.getOutputStream().close();
        assertThat(run.waitFor()).as("exit code").isZero();
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("Sitewire topics present: " + TopicCatalogue.LIVE.all().size());

        // Then it made one --create --if-not-exists call per catalogue topic, with its partitions, RF 3 and configs
        final List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(TopicCatalogue.LIVE.all().size());
        for (final TopicSpec<?> spec : TopicCatalogue.LIVE.all()) {
            final String expected = "--bootstrap-server broker:9092 --create --if-not-exists --topic " + spec.name()
                    + " --partitions " + spec.partitions() + " --replication-factor 3 "
                    + spec.effectiveConfigs((short) 3).entrySet().stream().map(e -> "--config " + e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            assertThat(calls).contains(expected);
        }
    }

    @Test
    void theStrimziClusterIsKraftWithThreeControllersAndThreeBrokers() {
        final JsonNode kafka = named("Kafka", StrimziTopicsGenerator.CLUSTER);
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        final JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(2);
        assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        final Map<String, Integer> replicasByRole = new TreeMap<>();
        for (final JsonNode pool : kind("KafkaNodePool")) {
            assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("sitewire");
            final List<String> roles = new ArrayList<>();
            pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
            assertThat(roles).as("separate roles: combined KRaft nodes are not used").hasSize(1);
            replicasByRole.merge(roles.get(0), pool.path("spec").path("replicas").asInt(), Integer::sum);
            assertThat(pool.path("spec").path("resources").path("limits").path("memory").asText()).isNotBlank();
        }
        assertThat(replicasByRole).containsExactlyInAnyOrderEntriesOf(Map.of("controller", 3, "broker", 3));
    }

    @Test
    void theKustomizationAppliesEveryManifestButTheSecretExample() throws IOException {
        final JsonNode kustomization = k8s().stream().filter(d -> "Kustomization".equals(d.path("kind").asText()))
                .findFirst().orElseThrow();
        final Set<String> resources = new TreeSet<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        final Set<String> files;
        try (Stream<Path> list = Files.list(root.resolve("deploy/k8s"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .filter(n -> !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(resources).isEqualTo(files);
        assertThat(kustomization.path("namespace").asText()).isEqualTo("sitewire");
    }

    @Test
    void theDeploymentsCarryOnlyKeysTheAppsReadAndTheSecretComesFromASecret() {
        final Map<String, String> configMap = new TreeMap<>();
        named("ConfigMap", "sitewire-config").path("data").properties()
                .forEach(e -> configMap.put(e.getKey(), e.getValue().asText()));
        final JsonNode secretExample = named("Secret", "sitewire-gateway-auth");

        for (final String app : List.of("streams-app", "ws-gateway")) {
            final JsonNode deployment = named("Deployment", app);
            final JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(app).isTrue();
            final JsonNode container = pod.path("containers").get(0);
            assertThat(container.path("image").asText()).as(app).startsWith("sitewire/" + app + ":");
            assertThat(container.path("resources").path("requests").path("cpu").asText()).as(app).isNotBlank();
            assertThat(container.path("resources").path("requests").path("memory").asText()).as(app).isNotBlank();
            assertThat(container.path("resources").path("limits").path("memory").asText()).as(app).isNotBlank();

            final Set<String> keys = new TreeSet<>();
            container.path("env").forEach(e -> {
                keys.add(e.path("name").asText());
                final JsonNode secretRef = e.path("valueFrom").path("secretKeyRef");
                if (!secretRef.isMissingNode()) {
                    assertThat(secretRef.path("name").asText()).isEqualTo("sitewire-gateway-auth");
                    assertThat(secretExample.path("stringData").has(secretRef.path("key").asText())).isTrue();
                }
            });
            container.path("envFrom").forEach(from -> {
                assertThat(from.path("configMapRef").path("name").asText()).isEqualTo("sitewire-config");
                keys.addAll(configMap.keySet());
            });
            assertThat(keys).as(app).isNotEmpty().allSatisfy(key -> assertKnownKey(app, key));
            assertThat(keys).as(app).contains("SITEWIRE_BOOTSTRAP_SERVERS", "SITEWIRE_SCHEMA_REGISTRY_URL");
        }

        final JsonNode gateway = named("Deployment", "ws-gateway").path("spec").path("template").path("spec")
                .path("containers").get(0);
        assertThat(gateway.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(gateway.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(gateway.path("env").findValuesAsText("name")).contains("SITEWIRE_AUTH_HS256_SECRET");
        final JsonNode service = named("Service", "ws-gateway");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        assertThat(gateway.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        final JsonNode streams = named("Deployment", "streams-app").path("spec").path("template").path("spec");
        final String stateDir = streams.path("containers").get(0).path("env").findParents("name").stream()
                .filter(n -> n.path("name").asText().equals("SITEWIRE_STATE_DIR")).findFirst().orElseThrow()
                .path("value").asText();
        assertThat(streams.path("containers").get(0).path("volumeMounts").findValuesAsText("mountPath")).contains(stateDir);
        // The streams app's probes point at its HTTP port, the one SITEWIRE_HTTP_PORT sets
        final JsonNode streamsContainer = streams.path("containers").get(0);
        final String httpPort = streamsContainer.path("env").findParents("name").stream()
                .filter(n -> n.path("name").asText().equals("SITEWIRE_HTTP_PORT")).findFirst().orElseThrow()
                .path("value").asText();
        assertThat(streamsContainer.path("ports").get(0).path("containerPort").asText()).isEqualTo(httpPort);
        assertThat(streamsContainer.path("ports").get(0).path("name").asText()).isEqualTo("http");
        assertThat(streamsContainer.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(streamsContainer.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(streamsContainer.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(streamsContainer.findValuesAsText("port")).containsOnly("http");
    }

    @Test
    void theComposeFileWiresTheClusterProvisioningAndTheApps() {
        final JsonNode compose = documents.get(Path.of("deploy", "compose", "docker-compose.yml")).get(0);
        final JsonNode services = compose.path("services");
        final Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("controller-1", "controller-2", "controller-3", "broker-1", "broker-2", "broker-3",
                "registry", "provision", "streams-app", "ws-gateway");

        // The KRaft cluster: 3 controllers, 3 brokers, one cluster id, RF 3 and min ISR 2 on the brokers
        final Set<String> clusterIds = new HashSet<>();
        for (final String node : List.of("controller-1", "controller-2", "controller-3", "broker-1", "broker-2", "broker-3")) {
            final JsonNode env = services.path(node).path("environment");
            clusterIds.add(env.path("CLUSTER_ID").asText());
            assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo(node.startsWith("controller") ? "controller" : "broker");
            assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                    .isEqualTo("1@controller-1:9093,2@controller-2:9093,3@controller-3:9093");
            assertThat(services.path(node).path("healthcheck").path("test").isArray()).as(node).isTrue();
            if (node.startsWith("broker")) {
                assertThat(env.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt()).isEqualTo(3);
                assertThat(env.path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).isEqualTo(2);
                assertThat(env.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
            }
        }
        assertThat(clusterIds).hasSize(1);
        // A KRaft cluster id is a 16-byte UUID in URL-safe base64 without padding.
        assertThat(java.util.Base64.getUrlDecoder().decode(clusterIds.iterator().next())).hasSize(16);

        // Provisioning runs the generated script; the apps wait for it and for the registry
        assertThat(services.path("provision").path("volumes").get(0).asText()).startsWith("./provision-topics.sh:");
        assertThat(services.path("provision").path("restart").asText()).isEqualTo("no");
        for (final String app : List.of("streams-app", "ws-gateway")) {
            final JsonNode service = services.path(app);
            assertThat(service.path("depends_on").path("provision").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
            assertThat(service.path("depends_on").path("registry").path("condition").asText()).isEqualTo("service_healthy");
            assertThat(service.path("image").asText()).contains("/" + app + ":");
            final Set<String> keys = new TreeSet<>();
            service.path("environment").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(app).allSatisfy(key -> assertKnownKey(app, key));
        }
        assertThat(services.path("ws-gateway").path("healthcheck").path("test").toString()).contains("/readyz");
        assertThat(services.path("streams-app").path("healthcheck").path("test").toString())
                .contains("/dev/tcp/127.0.0.1/" + services.path("streams-app").path("environment").path("SITEWIRE_HTTP_PORT").asText())
                .contains("/readyz");
        assertThat(services.path("registry").path("healthcheck").path("test").toString()).contains("/apis/ccompat/v7");
        assertThat(services.path("ws-gateway").path("environment").path("SITEWIRE_AUTH_HS256_SECRET").asText())
                .as("the secret comes from the caller's environment, never from the file").startsWith("${");
    }

    @Test
    void theImageProfileNamesTheImagesTheManifestsUse() throws IOException {
        final String pom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<id>images</id>")
                .contains("<exists>${basedir}/src/main/java/io/sitewire/streams/StreamsApp.java</exists>")
                .contains("<mainClass>io.sitewire.streams.StreamsApp</mainClass>")
                .contains("<exists>${basedir}/src/main/java/io/sitewire/gateway/GatewayMain.java</exists>")
                .contains("<mainClass>io.sitewire.gateway.GatewayMain</mainClass>")
                .contains("<to><image>${sitewire.image.registry}/streams-app:${sitewire.image.tag}</image></to>")
                .contains("<to><image>${sitewire.image.registry}/ws-gateway:${sitewire.image.tag}</image></to>")
                .contains("<sitewire.image.registry>sitewire</sitewire.image.registry>")
                .contains("<sitewire.image.base>eclipse-temurin:17-jre</sitewire.image.base>");
        // Where the apps are in this tree, the main classes the profiles key on exist (else no image is built)
        if (Files.isDirectory(root.resolve("streams-app"))) {
            assertThat(root.resolve("streams-app/src/main/java/io/sitewire/streams/StreamsApp.java")).exists();
        }
        if (Files.isDirectory(root.resolve("ws-gateway/src/main/java/io/sitewire/gateway/config"))) {
            assertThat(root.resolve("ws-gateway/src/main/java/io/sitewire/gateway/GatewayMain.java")).exists();
        }
    }

    @Test
    void theKeyListsMatchTheAppsSourcesWhereTheyArePresent() throws IOException {
        final Path streamsConfig = root.resolve("streams-app/src/main/java/io/sitewire/streams/config/StreamsAppConfig.java");
        final Path gatewayConfig = root.resolve("ws-gateway/src/main/java/io/sitewire/gateway/config/GatewayConfig.java");
        assumeTrue(Files.exists(streamsConfig) || Files.exists(gatewayConfig),
                "neither StreamsAppConfig nor GatewayConfig is on this branch yet: the key lists are checked against "
                        + "the apps' sources once they are merged");
        if (Files.exists(streamsConfig)) {
            final String sources = sources(root.resolve("streams-app/src/main/java"), root.resolve("schemas/src/main/java"));
            assertThat(STREAMS_KEYS).allSatisfy(key -> assertThat(sources).as("streams-app reads " + key).contains("\"" + key + "\""));
            assertThat(sources).contains("\"" + STREAMS_CONFIG_FILE_ENV + "\"");
        }
        if (Files.exists(gatewayConfig)) {
            final String sources = sources(root.resolve("ws-gateway/src/main/java"), root.resolve("schemas/src/main/java"));
            assertThat(GATEWAY_KEYS).allSatisfy(key -> assertThat(sources).as("ws-gateway reads " + key).contains("\"" + key + "\""));
            assertThat(sources).contains("\"" + GATEWAY_CONFIG_FILE_ENV + "\"");
        }
    }

    private static String sources(final Path... dirs) throws IOException {
        final StringBuilder all = new StringBuilder();
        for (final Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (final Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return all.toString();
    }

    /** SITEWIRE_* keys must be ones the app reads; KAFKA_* keys must be Kafka client settings. */
    private static void assertKnownKey(final String app, final String envName) {
        if (envName.startsWith("KAFKA_")) {
            final String setting = envName.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            final Set<String> client = new HashSet<>(ProducerConfig.configNames());
            client.addAll(ConsumerConfig.configNames());
            client.addAll(AdminClientConfig.configNames());
            client.addAll(StreamsConfig.configDef().names());
            assertThat(client).as(app + ": " + envName + " is not a Kafka client setting").contains(setting);
            return;
        }
        assertThat(envName).as(app).startsWith("SITEWIRE_");
        final boolean streams = app.equals("streams-app");
        if (envName.equals(streams ? STREAMS_CONFIG_FILE_ENV : GATEWAY_CONFIG_FILE_ENV)) {
            return;
        }
        final String key = envName.substring("SITEWIRE_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        assertThat(streams ? STREAMS_KEYS : GATEWAY_KEYS).as(app + " reads no key for " + envName).contains(key);
    }
}
