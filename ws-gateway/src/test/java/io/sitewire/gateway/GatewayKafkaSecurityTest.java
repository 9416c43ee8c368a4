package io.sitewire.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.replay.RangeReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka client security settings given as {@code KAFKA_*} variables (or {@code kafka.*} keys) reach every Kafka client
 * the gateway builds, and secrets are never part of what the gateway logs about its configuration.
 */
class GatewayKafkaSecurityTest {

    private static final String SECRET = "gateway-secret-that-is-long-enough-0123456789";

    private static GatewayConfig config(final Map<String, String> env) {
        return GatewayConfig.fromArgs(new String[0], env);
    }

    @Test
    void kafkaSecuritySettingsFromTheEnvironmentReachTheConsumersAndTheIngestProducer() {
        // Given a security protocol no client accepts, so that a client built without it would not fail
        final GatewayConfig config = config(Map.of("KAFKA_SECURITY_PROTOCOL", "NOT_A_PROTOCOL", "SITEWIRE_AUTH_HS256_SECRET", SECRET));
        assertThat(config.kafka()).containsEntry("security.protocol", "NOT_A_PROTOCOL");
        // When the live tailer's consumer and the ingest producer are built, Then both refuse it by name
        assertThat(catchThrowable(() -> GatewayServer.consumer(config, "test").close()))
                .hasMessageContaining("security.protocol");
        assertThat(catchThrowable(() -> Wiring.of(config, new InMemorySchemaRegistry(), new SimpleMeterRegistry()).close()))
                .hasMessageContaining("security.protocol");
    }

    @Test
    void aReplaysOwnConsumerKeepsTheSecuritySettings() {
        final Map<String, Object> replay = RangeReader.consumerConfig(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/kafka/ca.p12", "group.id", "x"));
        assertThat(replay).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12").doesNotContainKey("group.id");
    }

    @Test
    void theLoggedConfigurationNamesSecretKeysButNeverTheirValues() {
        final GatewayConfig config = config(Map.of("SITEWIRE_AUTH_HS256_SECRET", SECRET,
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gw\" password=\"p4ss-w0rd\";",
                "KAFKA_SSL_KEYSTORE_PASSWORD", "k3ystore-pass"));
        final String described = config.describe();
        assertThat(described).contains("auth.hs256.secret", "sasl.jaas.config", "ssl.keystore.password")
                .doesNotContain(SECRET, "p4ss-w0rd", "k3ystore-pass");
    }
}
