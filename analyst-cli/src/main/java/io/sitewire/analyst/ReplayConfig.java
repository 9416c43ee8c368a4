package io.sitewire.analyst;

import io.sitewire.schemas.KafkaClientEnvironment;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the CLI connects, read in layers, each overriding the one before: defaults, a properties file
 * ({@code --config FILE}), the environment, then command-line options. Validated as a whole: every bad setting is
 * reported at once, with where it came from.
 *
 * <p>Keys (file syntax): {@code bootstrap.servers}, {@code schema.registry.url}, {@code topic.prefix},
 * {@code kafka.<client key>} (passed to the Kafka clients, e.g. {@code kafka.security.protocol}) and
 * {@code schema.registry.<key>} (passed to the registry client: auth, retries). Environment: {@code SITEWIRE_<KEY>}
 * for our keys ({@code SITEWIRE_BOOTSTRAP_SERVERS}, {@code SITEWIRE_SCHEMA_REGISTRY_URL}, {@code SITEWIRE_TOPIC_PREFIX},
 * {@code SITEWIRE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}) and {@code KAFKA_<KEY>} for client keys
 * ({@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} becomes {@code security.protocol}).
 *
 * @param bootstrapServers   Kafka bootstrap servers
 * @param registryUrl        Confluent-compatible registry URL
 * @param topicPrefix        catalogue prefix of the topics read ("sitewire" for the live ones)
 * @param kafkaProperties    client settings passed to every Kafka client (security, timeouts)
 * @param registryProperties further {@code schema.registry.*} settings
 */
public record ReplayConfig(String bootstrapServers, String registryUrl, String topicPrefix,
        Map<String, String> kafkaProperties, Map<String, String> registryProperties) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String REGISTRY_URL = SchemaRegistryClients.URL;
    public static final String TOPIC_PREFIX = "topic.prefix";
    static final String KAFKA_PREFIX = "kafka.";
    static final String REGISTRY_PREFIX = "schema.registry.";

    public ReplayConfig {
        kafkaProperties = Map.copyOf(kafkaProperties);
        registryProperties = Map.copyOf(registryProperties);
    }

    /** The built-in defaults: the local run's broker and registry, live topics. */
    public static Map<String, String> defaults() {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put(BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        d.put(REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
        d.put(TOPIC_PREFIX, TopicCatalogue.LIVE_PREFIX);
        return d;
    }

    /**
     * Overlays defaults, the file (may be null), the environment and the options (keys as in the file; null values
     * are options not given) and validates the result.
     *
     * @throws InvalidConfigException listing every problem
     */
    public static ReplayConfig load(final Path file, final Map<String, String> env, final Map<String, String> options) {
        final Map<String, String> values = new TreeMap<>();
        final Map<String, String> origins = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        overlay(values, origins, defaults(), "default", problems, false);
        if (file != null) {
            overlay(values, origins, readFile(file, problems), "file " + file, problems, false);
        }
        overlay(values, origins, fromEnvironment(env), "environment", problems, true);
        final Map<String, String> given = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v);
            }
        });
        overlay(values, origins, given, "command line", problems, false);

        final String bootstrap = values.get(BOOTSTRAP_SERVERS);
        if (!bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            problems.add(bad(BOOTSTRAP_SERVERS, bootstrap, "must be host:port[,host:port...]", origins));
        }
        final String registry = values.get(REGISTRY_URL);
        if (!registry.matches("(https?|mem)://\\S+")) {
            problems.add(bad(REGISTRY_URL, registry, "must be an http(s):// URL of a Confluent-compatible registry "
                    + "(e.g. http://127.0.0.1:8081/apis/ccompat/v7)", origins));
        }
        final String prefix = values.get(TOPIC_PREFIX);
        try {
            TopicCatalogue.withPrefix(prefix);
        } catch (final IllegalArgumentException e) {
            problems.add(bad(TOPIC_PREFIX, prefix, e.getMessage(), origins));
        }
        final Map<String, String> kafka = new TreeMap<>();
        final Map<String, String> registryProps = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            } else if (key.startsWith(REGISTRY_PREFIX) && !key.equals(REGISTRY_URL)) {
                registryProps.put(key, value);
            }
        });
        if (kafka.containsKey(BOOTSTRAP_SERVERS)) {
            problems.add(KAFKA_PREFIX + BOOTSTRAP_SERVERS + ": set " + BOOTSTRAP_SERVERS + " (--bootstrap-servers, "
                    + "SITEWIRE_BOOTSTRAP_SERVERS) instead (from " + origins.get(KAFKA_PREFIX + BOOTSTRAP_SERVERS) + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ReplayConfig(bootstrap, registry, prefix, kafka, registryProps);
    }

    /** The topics the queries are resolved in. */
    public TopicCatalogue catalogue() {
        return TopicCatalogue.withPrefix(topicPrefix);
    }

    /** Kafka client settings: the pass-through ones and the bootstrap servers. */
    public Map<String, Object> clientConfig() {
        final Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(BOOTSTRAP_SERVERS, bootstrapServers);
        return config;
    }

    /** What {@link SchemaRegistryClients} reads. */
    public Map<String, Object> registryConfig() {
        final Map<String, Object> config = new HashMap<>(registryProperties);
        config.put(REGISTRY_URL, registryUrl);
        return config;
    }

    /** {@code SITEWIRE_TOPIC_PREFIX -> topic.prefix}, {@code KAFKA_SECURITY_PROTOCOL -> kafka.security.protocol}. */
    static Map<String, String> fromEnvironment(final Map<String, String> env) {
        final Map<String, String> map = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("SITEWIRE_") && name.length() > "SITEWIRE_".length()) {
                map.put(dotted(name.substring("SITEWIRE_".length())), value);
            } else if (KafkaClientEnvironment.isClientSetting(name)) {
                map.put(KAFKA_PREFIX + dotted(name.substring("KAFKA_".length())), value);
            }
        });
        return map;
    }

    private static void overlay(final Map<String, String> values, final Map<String, String> origins,
            final Map<String, String> layer, final String origin, final List<String> problems, final boolean lenient) {
        layer.forEach((rawKey, rawValue) -> {
            final String key = rawKey.strip();
            if (!known(key)) {
                if (!lenient) { // the environment holds many SITEWIRE_* variables of other Sitewire tools
                    problems.add(key + ": unknown setting (from " + origin + "); known: " + BOOTSTRAP_SERVERS + ", "
                            + REGISTRY_URL + ", " + TOPIC_PREFIX + ", " + KAFKA_PREFIX + "*, " + REGISTRY_PREFIX + "*");
                }
                return;
            }
            values.put(key, rawValue == null ? "" : rawValue.strip());
            origins.put(key, origin);
        });
    }

    private static boolean known(final String key) {
        return key.equals(BOOTSTRAP_SERVERS) || key.equals(TOPIC_PREFIX) || key.startsWith(REGISTRY_PREFIX)
                || key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length();
    }

    private static String bad(final String key, final String value, final String problem, final Map<String, String> origins) {
        return key + " = '" + value + "': " + problem + " (from " + origins.getOrDefault(key, "default") + ")";
    }

    private static Map<String, String> readFile(final Path file, final List<String> problems) {
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (final IOException e) {
            problems.add("config file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return Map.of();
        }
        final Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    private static String dotted(final String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Settings that cannot be used, each with its origin. */
    public static final class InvalidConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        public InvalidConfigException(final List<String> problems) {
            super("invalid settings:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
