package io.sitewire.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    @Test
    void defaultsAreUsable() {
        final GatewayConfig c = GatewayConfig.of(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.topicPrefix()).isEqualTo("sitewire");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.sendQueueFrames()).isEqualTo(4096);
        assertThat(c.allowedOrigins()).isEmpty();
    }

    @Test
    void fileThenEnvironmentOverride(@TempDir final Path dir) throws Exception {
        // Given a file and an environment that both set the port
        final Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "port=9000\nws.send.queue.frames=64\nauth.hs256.secret=s3cret\nkafka.security.protocol=SSL\n");
        final Map<String, String> env = Map.of("SITEWIRE_PORT", "9100", "KAFKA_SASL_MECHANISM", "PLAIN",
                "SITEWIRE_WS_ALLOWED_ORIGINS", "https://dash.example.org, http://localhost:5173");
        // When loaded
        final GatewayConfig c = GatewayConfig.fromArgs(new String[] {"--config", file.toString()}, env);
        // Then the environment wins over the file, and auth and kafka keys are passed on
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.sendQueueFrames()).isEqualTo(64);
        assertThat(c.auth()).containsEntry("auth.hs256.secret", "s3cret");
        assertThat(c.kafka()).containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.allowedOrigins()).containsExactly("https://dash.example.org", "http://localhost:5173");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("g.properties");
        Files.writeString(file, "topic.prefix=whatif\n");
        final GatewayConfig c = GatewayConfig.fromArgs(new String[0], Map.of(GatewayConfig.CONFIG_FILE_ENV, file.toString()));
        assertThat(c.topicPrefix()).isEqualTo("whatif");
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheKeyAndTheEnvName() {
        assertThatThrownBy(() -> GatewayConfig.of(Map.of("port", "eighty", "ws.idle.timeout", "soon",
                "schema.registry.url", "ftp://x", "ws.allowed.origins", "https://a.example/path")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port (env SITEWIRE_PORT): not a whole number")
                .hasMessageContaining("ws.idle.timeout")
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("ws.allowed.origins")
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(4));
    }

    @Test
    void heartbeatMustBeShorterThanIdleTimeout() {
        assertThatThrownBy(() -> GatewayConfig.of(Map.of("ws.heartbeat.interval", "60s", "ws.idle.timeout", "30s")))
                .hasMessageContaining("must be shorter than");
    }

    @Test
    void unknownArgumentsAreRefused() {
        assertThatThrownBy(() -> GatewayConfig.fromArgs(new String[] {"--port", "1"}, Map.of())).hasMessageContaining("unknown argument");
    }

    @Test
    void originAllowList() {
        final GatewayConfig c = GatewayConfig.of(Map.of("ws.allowed.origins", "https://dash.example.org"));
        assertThat(c.originAllowed(null, "gw:8080")).isTrue();
        assertThat(c.originAllowed("https://dash.example.org", "gw:8080")).isTrue();
        assertThat(c.originAllowed("http://gw:8080", "gw:8080")).isTrue();
        assertThat(c.originAllowed("https://evil.example", "gw:8080")).isFalse();
        assertThat(GatewayConfig.of(Map.of("ws.allowed.origins", "*")).originAllowed("https://evil.example", "gw")).isTrue();
    }

    @Test
    void permessageDeflateIsOnByDefaultAndCanBeSwitchedOffButNotToNonsense() {
        assertThat(GatewayConfig.of(Map.of()).permessageDeflate()).isTrue();
        assertThat(GatewayConfig.of(Map.of("ws.permessage.deflate", "FALSE")).permessageDeflate()).isFalse();
        assertThatThrownBy(() -> GatewayConfig.of(Map.of("ws.permessage.deflate", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ws.permessage.deflate")
                .hasMessageContaining("must be true or false");
    }
}
