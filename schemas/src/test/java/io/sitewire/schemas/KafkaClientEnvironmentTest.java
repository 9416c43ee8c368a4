package io.sitewire.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaClientEnvironmentTest {

    @Test
    void clientSettingsPassAndTheScriptsJvmVariablesDoNot() {
        assertThat(KafkaClientEnvironment.isClientSetting("KAFKA_SECURITY_PROTOCOL")).isTrue();
        assertThat(KafkaClientEnvironment.clientKey("KAFKA_SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
        assertThat(KafkaClientEnvironment.isClientSetting("KAFKA_OPTS")).isFalse();
        assertThat(KafkaClientEnvironment.isClientSetting("KAFKA_HEAP_OPTS")).isFalse();
        assertThat(KafkaClientEnvironment.isClientSetting("KAFKA_")).isFalse();
        assertThat(KafkaClientEnvironment.isClientSetting("SITEWIRE_PORT")).isFalse();
    }
}
