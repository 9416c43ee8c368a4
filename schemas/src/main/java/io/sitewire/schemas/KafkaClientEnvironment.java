package io.sitewire.schemas;

import java.util.Locale;
import java.util.Set;

/**
 * Which {@code KAFKA_*} environment variables are Kafka client settings: {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}
 * becomes {@code security.protocol=SASL_SSL}. The variables Kafka's own scripts use to start JVMs are not settings
 * and are left out, so a shell that runs a broker too does not hand {@code KAFKA_OPTS} to the apps' clients.
 */
public final class KafkaClientEnvironment {

    /** KAFKA_* variables that configure JVMs and scripts, not clients. */
    public static final Set<String> NOT_CLIENT_SETTINGS = Set.of("KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG");

    private static final String PREFIX = "KAFKA_";

    private KafkaClientEnvironment() {
    }

    /** Whether the variable names a client setting. */
    public static boolean isClientSetting(final String variable) {
        return variable.startsWith(PREFIX) && variable.length() > PREFIX.length() && !NOT_CLIENT_SETTINGS.contains(variable);
    }

    /** The client key of a variable for which {@link #isClientSetting} holds: {@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}. */
    public static String clientKey(final String variable) {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
