package io.sitewire.analyst;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where to connect: options over {@link ReplayConfig}'s file and environment layers. */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (env SITEWIRE_BOOTSTRAP_SERVERS; default 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry URL, Confluent API (env SITEWIRE_SCHEMA_REGISTRY_URL; default "
                    + "http://127.0.0.1:8081/apis/ccompat/v7).")
    String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Catalogue prefix of the topics read (env SITEWIRE_TOPIC_PREFIX; default sitewire, the live topics; "
                    + "whatif-NAME reads a what-if set).")
    String topicPrefix;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with bootstrap.servers, schema.registry.url, topic.prefix, kafka.* and "
                    + "schema.registry.* settings (below the environment and the options).")
    Path configFile;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client setting, e.g. -X security.protocol=SASL_SSL (also from env KAFKA_*: "
                    + "KAFKA_SECURITY_PROTOCOL=SASL_SSL). Repeatable.")
    List<String> kafka = new java.util.ArrayList<>();

    /** The settings, each layer over the one before. */
    ReplayConfig resolve(final Map<String, String> env) {
        final Map<String, String> options = new LinkedHashMap<>();
        options.put(ReplayConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        options.put(ReplayConfig.REGISTRY_URL, registryUrl);
        options.put(ReplayConfig.TOPIC_PREFIX, topicPrefix);
        final List<String> problems = new java.util.ArrayList<>();
        for (final String setting : kafka) {
            final int eq = setting.indexOf('=');
            if (eq <= 0) {
                problems.add("-X " + setting + ": expected KEY=VALUE, e.g. -X security.protocol=SSL");
            } else {
                options.put(ReplayConfig.KAFKA_PREFIX + setting.substring(0, eq).strip(), setting.substring(eq + 1));
            }
        }
        if (!problems.isEmpty()) {
            throw new ReplayConfig.InvalidConfigException(problems);
        }
        return ReplayConfig.load(configFile, env, options);
    }
}
