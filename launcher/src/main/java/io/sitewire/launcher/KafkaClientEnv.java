package io.sitewire.launcher;

import io.sitewire.schemas.KafkaClientEnvironment;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings from the environment: {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} becomes
 * {@code security.protocol=SASL_SSL}. This is how an external cluster's security settings reach the
 * launcher's admin client without a flag for each of them.
 */
final class KafkaClientEnv {

    private KafkaClientEnv() {
    }

    static Map<String, Object> from(final Map<String, String> env) {
        final Map<String, Object> settings = new HashMap<>();
        env.forEach((name, value) -> {
            if (KafkaClientEnvironment.isClientSetting(name)) {
                settings.put(KafkaClientEnvironment.clientKey(name), value);
            }
        });
        return settings;
    }
}
