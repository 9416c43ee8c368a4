package io.sitewire.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import io.sitewire.streams.health.OutputCountingInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsAppConfigTest {

    @Test
    void defaultsAreValidAndExactlyOnce() {
        final StreamsAppConfig config = StreamsAppConfig.load(new String[0], Map.of());
        assertThat(config.applicationId()).isEqualTo("sitewire-streams");
        assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.topicPrefix()).isEqualTo("sitewire");
        assertThat(config.separateEmergencyInstance()).isTrue();
        assertThat(config.rules().proximity()).isEqualTo(ProximitySettings.DEFAULTS);
        assertThat(config.rules().presence().missingAfterMs()).isEqualTo(600_000);
        assertThat(config.rules().proximity().innerFraction()).isEqualTo(0.5);
        assertThat(config.rules().proximity().hysteresis()).isEqualTo(0.10);
        assertThat(config.rules().proximity().staleAfterMs()).isEqualTo(60_000);
    }

    @Test
    void fileThenEnvironmentOverrideDefaultsAndKafkaKeysPassThrough(@TempDir final Path dir) throws IOException {
        // Given a file setting the app id, a rule, a client key and a per-project override
        final Path file = dir.resolve("streams.properties");
        Files.writeString(file, """
                application.id=from-file
                proximity.inner.fraction=0.4
                kafka.security.protocol=SSL
                project.site-9.proximity.hysteresis=0.2
                project.site-9.air.co.ceiling.limit=150
                air.co.twa.limit=35
                """);
        // And an environment that overrides the app id and adds client and registry keys
        final Map<String, String> env = Map.of(
                "SITEWIRE_APPLICATION_ID", "from-env",
                "SITEWIRE_PRESENCE_MISSING_AFTER_MS", "300000",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "SITEWIRE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:p",
                "SITEWIRE_GATEWAY_PORT", "8080");
        // When loaded with --config
        final StreamsAppConfig config = StreamsAppConfig.load(new String[] {"--config", file.toString()}, env);
        // Then each layer won where it should
        assertThat(config.applicationId()).isEqualTo("from-env");
        assertThat(config.bootstrapServers()).isEqualTo("broker-1:9093");
        assertThat(config.rules().proximity().innerFraction()).isEqualTo(0.4);
        assertThat(config.rules().presence().missingAfterMs()).isEqualTo(300_000);
        assertThat(config.rules().proximity("site-9")).isEqualTo(new ProximitySettings(0.4, 0.2, 60_000));
        assertThat(config.rules().proximity("elsewhere").hysteresis()).isEqualTo(0.1);
        assertThat(config.rules().ruleProperties()).containsOnly(
                Map.entry("project.site-9.air.co.ceiling.limit", "150"), Map.entry("air.co.twa.limit", "35"));
        assertThat(config.kafkaProperties()).containsOnly(
                Map.entry("security.protocol", "SSL"), Map.entry("sasl.mechanism", "PLAIN"));
        assertThat(config.registryConfig()).containsEntry("schema.registry.basic.auth.user.info", "u:p");
        final Properties streams = config.streamsProperties(Instance.SITE);
        assertThat(streams.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("from-env");
        assertThat(config.streamsProperties(Instance.EMERGENCY).getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
                .isEqualTo("from-env-emergency");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("s.properties");
        Files.writeString(file, "topic.prefix=whatif-7\n");
        final StreamsAppConfig config = StreamsAppConfig.load(new String[0],
                Map.of(StreamsAppConfig.CONFIG_FILE_ENV, file.toString()));
        assertThat(config.catalogue().workerPositions().name()).isEqualTo("whatif-7.worker-positions");
    }

    @Test
    void everyBadKeyIsListedWithWhereItCameFrom(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, """
                proximity.inner.fraction=1.5
                proximity.hysteresis=lots
                proximity.inner.fracton=0.3
                processing.guarantee=exactly_once
                project.p1.proximity.radius=30
                """);
        final Map<String, String> env = Map.of("SITEWIRE_SCHEMA_REGISTRY_URL", "localhost:8081",
                "SITEWIRE_PRESENCE_MISSING_AFTER_MS", "-1");
        assertThatThrownBy(() -> StreamsAppConfig.load(new String[] {"--config=" + file}, env))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(7);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                            .startsWith("proximity.inner.fraction = '1.5': must be in (0.0, 1.0]").contains("file " + file));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("proximity.hysteresis = 'lots': must be a number"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("proximity.inner.fracton: unknown key"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("processing.guarantee = 'exactly_once'"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("project.p1.proximity.radius"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                            .startsWith("schema.registry.url = 'localhost:8081'").endsWith("(from environment)"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("presence.missing.after.ms = '-1'"));
                    assertThat(e.getMessage()).startsWith("Invalid streams-app configuration (7 problems):");
                });
    }

    @Test
    void airAndNoiseSettingsAreValidatedAtLoadAndHyphenatedKeysComeFromTheEnvironment() {
        assertThatThrownBy(() -> StreamsAppConfig.of(Map.of("air.co.celing.limit", "100", "noise.exchange.rate", "x")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("air.*: ")
                            .contains("air.co.celing.limit").endsWith("(from given properties)"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("noise.*: "));
                });
        final StreamsAppConfig config = StreamsAppConfig.load(new String[0], Map.of("SITEWIRE_AIR_MAX__SAMPLE__GAP", "PT20M",
                "SITEWIRE_PROJECT_P9_AIR_CO_CEILING_LIMIT", "300"));
        assertThat(config.rules().ruleProperties()).containsOnly(Map.entry("air.max-sample-gap", "PT20M"),
                Map.entry("project.p9.air.co.ceiling.limit", "300"));
        assertThat(config.rules().air()).isNotNull();
    }

    @Test
    void missingFileAndUnknownArgumentsAreConfigErrors() {
        assertThatThrownBy(() -> StreamsAppConfig.load(new String[] {"--config", "/nonexistent/x.properties"}, Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("/nonexistent/x.properties: cannot be read");
        assertThatThrownBy(() -> StreamsAppConfig.load(new String[] {"--verbose"}, Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("--verbose: unknown argument");
    }

    @Test
    void aClientKeyAndOurKeyDisagreeingInOneLayerIsAnError() {
        assertThatThrownBy(() -> StreamsAppConfig.of(Map.of("bootstrap.servers", "a:1", "kafka.bootstrap.servers", "b:2")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("bootstrap.servers: set twice");
    }

    @Test
    void streamThreadsAreSetPerInstanceAndBoundedByTheWidestInputTopic() {
        // Given two site threads and two emergency threads
        final StreamsAppConfig config = StreamsAppConfig.of(Map.of(StreamsAppConfig.NUM_STREAM_THREADS, "2",
                StreamsAppConfig.EMERGENCY_NUM_STREAM_THREADS, "2"));
        // Then each instance gets its own count
        assertThat(config.streamsProperties(StreamsAppConfig.Instance.SITE).getProperty("num.stream.threads")).isEqualTo("2");
        assertThat(config.streamsProperties(StreamsAppConfig.Instance.EMERGENCY).getProperty("num.stream.threads"))
                .isEqualTo("2");
        // And more threads than the widest input topic has partitions (12 positions/readings, 6 wearables) is refused
        final int site = TopicCatalogue.LIVE.workerPositions().partitions();
        final int emergency = TopicCatalogue.LIVE.wearableAlarms().partitions();
        assertThat(StreamsAppConfig.of(Map.of(StreamsAppConfig.NUM_STREAM_THREADS, Integer.toString(site))).numStreamThreads())
                .isEqualTo(site);
        assertThatThrownBy(() -> StreamsAppConfig.of(Map.of(StreamsAppConfig.NUM_STREAM_THREADS, Integer.toString(site + 1),
                StreamsAppConfig.EMERGENCY_NUM_STREAM_THREADS, Integer.toString(emergency + 1), StreamsAppConfig.HTTP_PORT, "-1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("num.stream.threads = '" + (site + 1) + "': must be between 1 and " + site)
                .hasMessageContaining("emergency.num.stream.threads = '" + (emergency + 1) + "': must be between 1 and " + emergency)
                .hasMessageContaining("http.port = '-1': must be between 0 and 65535");
    }

    @Test
    void theHttpEndpointHasADefaultPortAndZeroTurnsItOff() {
        assertThat(StreamsAppConfig.of(Map.of()).httpPort()).isEqualTo(8090);
        assertThat(StreamsAppConfig.of(Map.of(StreamsAppConfig.HTTP_PORT, "0")).httpPort()).isZero();
    }

    @Test
    void theStreamsProducersCountTheirOutputForTheMetrics() {
        final StreamsAppConfig config = StreamsAppConfig.of(Map.of(StreamsAppConfig.TOPIC_PREFIX, "t1"));
        assertThat(config.streamsProperties(StreamsAppConfig.Instance.SITE))
                .containsEntry("producer.interceptor.classes", OutputCountingInterceptor.class.getName())
                .containsEntry("producer." + StreamsAppConfig.HANDLER_TOPIC_PREFIX, "t1");
    }
}
