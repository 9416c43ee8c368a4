package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayConfigTest {

    @TempDir
    Path dir;

    @Test
    void layersOverrideInOrderAndKafkaVariablesPassThrough() throws Exception {
        // Given a file, the environment and an option, each setting something
        final Path file = dir.resolve("replay.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\ntopic.prefix=whatif-a\nkafka.client.rack=r1\n"
                + "schema.registry.basic.auth.user.info=u:p\n");
        final Map<String, String> env = Map.of("SITEWIRE_BOOTSTRAP_SERVERS", "env:9092", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_HEAP_OPTS", "-Xmx1g", "SITEWIRE_STACK", "embedded");
        final Map<String, String> options = new LinkedHashMap<>();
        options.put(ReplayConfig.REGISTRY_URL, "http://registry:8081/apis/ccompat/v7");
        options.put(ReplayConfig.TOPIC_PREFIX, null);

        // When loaded
        final ReplayConfig config = ReplayConfig.load(file, env, options);

        // Then each comes from the highest layer that sets it; KAFKA_* become client keys, JVM ones do not
        assertThat(config.bootstrapServers()).isEqualTo("env:9092");
        assertThat(config.registryUrl()).isEqualTo("http://registry:8081/apis/ccompat/v7");
        assertThat(config.topicPrefix()).isEqualTo("whatif-a");
        assertThat(config.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "client.rack", "r1"));
        assertThat(config.clientConfig()).containsEntry("bootstrap.servers", "env:9092").containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.registryConfig()).containsEntry("schema.registry.basic.auth.user.info", "u:p")
                .containsEntry("schema.registry.url", "http://registry:8081/apis/ccompat/v7");
    }

    @Test
    void everyProblemIsReportedWithItsOrigin() throws Exception {
        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, "bootstrap.server=oops:1\n");
        final Map<String, String> options = new LinkedHashMap<>();
        options.put(ReplayConfig.BOOTSTRAP_SERVERS, "no-port");
        options.put(ReplayConfig.TOPIC_PREFIX, "Live");
        assertThatThrownBy(() -> ReplayConfig.load(file, Map.of("SITEWIRE_SCHEMA_REGISTRY_URL", "registry:8081"), options))
                .isInstanceOfSatisfying(ReplayConfig.InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "bootstrap.server: unknown setting (from file " + file + "); known: bootstrap.servers, "
                                + "schema.registry.url, topic.prefix, kafka.*, schema.registry.*",
                        "bootstrap.servers = 'no-port': must be host:port[,host:port...] (from command line)",
                        "schema.registry.url = 'registry:8081': must be an http(s):// URL of a Confluent-compatible registry "
                                + "(e.g. http://127.0.0.1:8081/apis/ccompat/v7) (from environment)",
                        "topic.prefix = 'Live': topic prefix must be lower-case letters, digits and '-', got: Live (from command line)"));
    }

    @Test
    void theDefaultsAreTheLocalRunsLiveTopics() {
        final ReplayConfig config = ReplayConfig.load(null, Map.of(), Map.of());
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.topicPrefix()).isEqualTo("sitewire");
        assertThat(config.kafkaProperties()).isEmpty();
    }
}
