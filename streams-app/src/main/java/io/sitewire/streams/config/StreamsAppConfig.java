package io.sitewire.streams.config;

import io.sitewire.schemas.KafkaClientEnvironment;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.air.AirQualityConfig;
import io.sitewire.streams.health.OutputCountingInterceptor;
import io.sitewire.streams.noise.NoiseConfig;
import io.sitewire.streams.support.AlertProductionExceptionHandler;
import io.sitewire.streams.support.DeadLetterDeserializationHandler;
import io.sitewire.streams.support.DeadLetterProcessingHandler;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one typed configuration of the streams app. Read in layers, each overriding the one before: built-in defaults,
 * then a properties file ({@code --config FILE} or env {@code SITEWIRE_STREAMS_CONFIG}), then environment variables
 * ({@code SITEWIRE_<KEY>} for our keys, e.g. {@code SITEWIRE_PROXIMITY_INNER_FRACTION} for
 * {@code proximity.inner.fraction}; {@code KAFKA_<KEY>} passed to the Kafka clients, e.g. {@code KAFKA_SECURITY_PROTOCOL}
 * for {@code security.protocol}; in the file, {@code kafka.<key>} does the same). Validated as a whole: every bad key is
 * reported at once, with the layer its value came from.
 *
 * @param applicationId             Kafka Streams application.id (the emergency instance appends {@value #EMERGENCY_SUFFIX})
 * @param bootstrapServers          Kafka bootstrap servers
 * @param schemaRegistryUrl         Confluent-compatible registry URL, or mem://NAME in tests
 * @param stateDir                  Kafka Streams state directory
 * @param topicPrefix               topic catalogue prefix ("sitewire" for live topics)
 * @param processingGuarantee       exactly_once_v2 (default) or at_least_once
 * @param emergencyProcessingGuarantee guarantee of the emergency instance (default exactly_once_v2; see docs/rules.md)
 * @param commitIntervalMs          commit interval of the site instance (proximity, presence, air, noise)
 * @param emergencyCommitIntervalMs commit interval of the emergency instance (wearable alarms, broadcasts)
 * @param separateEmergencyInstance run wearables and broadcasts in their own KafkaStreams instance
 * @param numStreamThreads          stream threads of the site instance (all of the app when not split)
 * @param emergencyNumStreamThreads stream threads of the emergency instance
 * @param httpPort                  port of the health and metrics endpoint; 0 = no endpoint
 * @param httpBindHost              interface the endpoint listens on
 * @param maxEventTimeSkewMs        event times further than this in the future are clamped for stream time
 * @param rules                     rule limits
 * @param registryProperties        further {@code schema.registry.*} settings (auth, retries), passed to the client
 * @param kafkaProperties           client settings passed straight to Kafka Streams and its clients
 */
public record StreamsAppConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        Path stateDir,
        String topicPrefix,
        String processingGuarantee,
        String emergencyProcessingGuarantee,
        long commitIntervalMs,
        long emergencyCommitIntervalMs,
        boolean separateEmergencyInstance,
        int numStreamThreads,
        int emergencyNumStreamThreads,
        int httpPort,
        String httpBindHost,
        long maxEventTimeSkewMs,
        RuleSettings rules,
        Map<String, String> registryProperties,
        Map<String, String> kafkaProperties) {

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = SchemaRegistryClients.URL;
    public static final String STATE_DIR = "state.dir";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String EMERGENCY_PROCESSING_GUARANTEE = "emergency.processing.guarantee";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String EMERGENCY_COMMIT_INTERVAL_MS = "emergency.commit.interval.ms";
    public static final String EMERGENCY_SEPARATE_INSTANCE = "emergency.separate.instance";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String EMERGENCY_NUM_STREAM_THREADS = "emergency.num.stream.threads";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND_HOST = "http.bind.host";
    public static final String EVENT_TIME_MAX_SKEW_MS = "event.time.max.skew.ms";
    public static final String PROXIMITY_INNER_FRACTION = "proximity.inner.fraction";
    public static final String PROXIMITY_HYSTERESIS = "proximity.hysteresis";
    public static final String PROXIMITY_STALE_AFTER_MS = "proximity.stale.after.ms";
    public static final String PROXIMITY_GRID_CELL_M = "proximity.grid.cell.m";
    public static final String PROXIMITY_STALE_CHECK_INTERVAL_MS = "proximity.stale.check.interval.ms";
    public static final String PRESENCE_MISSING_AFTER_MS = "presence.missing.after.ms";
    public static final String PRESENCE_MISSING_CHECK_INTERVAL_MS = "presence.missing.check.interval.ms";

    /** Env variable naming the properties file (when {@code --config} is not given). */
    public static final String CONFIG_FILE_ENV = "SITEWIRE_STREAMS_CONFIG";
    /** Streams-config key under which the topic prefix reaches our exception handlers. */
    public static final String HANDLER_TOPIC_PREFIX = "sitewire.topic.prefix";
    /**
     * Streams-config key: input topics (comma-separated) whose dead letters another instance writes. In the split
     * deployment both instances read the wearable and broadcast topics; only the emergency instance dead-letters them,
     * so each bad record is one dead letter.
     */
    public static final String HANDLER_DEAD_LETTERS_ELSEWHERE = "sitewire.dead.letters.elsewhere";
    /** Suffix of the emergency instance's application.id. */
    public static final String EMERGENCY_SUFFIX = "-emergency";

    static final String KAFKA_PREFIX = "kafka.";
    private static final String REGISTRY_PREFIX = "schema.registry.";
    private static final Pattern PROJECT_KEY = Pattern.compile("project\\.([^.]+)\\.(proximity|presence|air|noise)\\.(.+)");
    /** Client keys that are typed settings here: {@code KAFKA_BOOTSTRAP_SERVERS} sets {@link #BOOTSTRAP_SERVERS}. */
    private static final Set<String> TYPED_CLIENT_KEYS = Set.of(APPLICATION_ID, BOOTSTRAP_SERVERS, STATE_DIR,
            PROCESSING_GUARANTEE, COMMIT_INTERVAL_MS, NUM_STREAM_THREADS);

    /** Built-in defaults, in the form of the properties file. */
    public static Map<String, String> defaultProperties() {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "sitewire-streams");
        d.put(BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        d.put(SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
        d.put(STATE_DIR, Path.of(System.getProperty("user.dir"), ".sitewire", "streams-state").toString());
        d.put(TOPIC_PREFIX, TopicCatalogue.LIVE_PREFIX);
        d.put(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        d.put(EMERGENCY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
        // Why these two: see docs/rules.md "Latency". Read-committed consumers see output only at commit.
        d.put(COMMIT_INTERVAL_MS, "50");
        d.put(EMERGENCY_COMMIT_INTERVAL_MS, "0");
        d.put(EMERGENCY_SEPARATE_INSTANCE, "true");
        d.put(NUM_STREAM_THREADS, "1");
        d.put(EMERGENCY_NUM_STREAM_THREADS, "1");
        // Not 8080/8081: the gateway and the local registry use those in ./sitewire up.
        d.put(HTTP_PORT, "8090");
        d.put(HTTP_BIND_HOST, "0.0.0.0");
        d.put(EVENT_TIME_MAX_SKEW_MS, "300000");
        d.put(PROXIMITY_INNER_FRACTION, Double.toString(RuleDefaults.PROXIMITY_INNER_FRACTION));
        d.put(PROXIMITY_HYSTERESIS, Double.toString(RuleDefaults.PROXIMITY_HYSTERESIS));
        d.put(PROXIMITY_STALE_AFTER_MS, Long.toString(RuleDefaults.PROXIMITY_STALE_AFTER_MS));
        d.put(PROXIMITY_GRID_CELL_M, Double.toString(RuleDefaults.PROXIMITY_GRID_CELL_M));
        d.put(PROXIMITY_STALE_CHECK_INTERVAL_MS, Long.toString(RuleDefaults.PROXIMITY_STALE_CHECK_INTERVAL_MS));
        d.put(PRESENCE_MISSING_AFTER_MS, Long.toString(RuleDefaults.PRESENCE_MISSING_AFTER_MS));
        d.put(PRESENCE_MISSING_CHECK_INTERVAL_MS, Long.toString(RuleDefaults.PRESENCE_MISSING_CHECK_INTERVAL_MS));
        return d;
    }

    public StreamsAppConfig {
        registryProperties = Map.copyOf(registryProperties);
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** Defaults overlaid with {@code properties} (file syntax), validated. For tests and embedding. */
    public static StreamsAppConfig of(final Map<String, String> properties) {
        return fromLayers(List.of(new Layer("default", defaultProperties(), false),
                new Layer("given properties", properties, false)));
    }

    /**
     * Defaults, then the file from {@code --config FILE} or env {@value #CONFIG_FILE_ENV}, then the environment.
     *
     * @throws InvalidConfigException listing every problem (a missing file included)
     */
    public static StreamsAppConfig load(final String[] args, final Map<String, String> env) {
        final List<Layer> layers = new ArrayList<>();
        layers.add(new Layer("default", defaultProperties(), false));
        final String file = configFile(args, env);
        if (file != null) {
            layers.add(new Layer("file " + file, readFile(Path.of(file)), false));
        }
        layers.add(new Layer("environment", fromEnvironment(env), true));
        return fromLayers(layers);
    }

    /** A named set of properties (file syntax); {@code lenient} layers ignore keys that are not ours (the env). */
    public record Layer(String origin, Map<String, String> properties, boolean lenient) {
    }

    /** Overlays the layers in order and validates the result. */
    public static StreamsAppConfig fromLayers(final List<Layer> layers) {
        final Map<String, String> values = new TreeMap<>();
        final Map<String, String> origins = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final Layer layer : layers) {
            for (final Map.Entry<String, String> e : layer.properties().entrySet()) {
                String key = e.getKey().strip();
                if (key.startsWith(KAFKA_PREFIX) && TYPED_CLIENT_KEYS.contains(key.substring(KAFKA_PREFIX.length()))) {
                    key = key.substring(KAFKA_PREFIX.length());
                    final String direct = layer.properties().get(key);
                    if (direct != null && !direct.strip().equals(e.getValue().strip())) {
                        problems.add(key + ": set twice in " + layer.origin() + " with different values ('" + direct
                                + "' and '" + e.getValue() + "' as " + e.getKey() + ")");
                    }
                }
                if (!known(key)) {
                    if (!layer.lenient()) {
                        problems.add(key + ": unknown key (from " + layer.origin() + ")");
                    }
                    continue;
                }
                values.put(key, e.getValue() == null ? "" : e.getValue().strip());
                origins.put(key, layer.origin());
            }
        }
        final Parser p = new Parser(values, origins, problems);
        final String applicationId = p.string(APPLICATION_ID, v -> v.matches("[A-Za-z0-9._-]{1,200}") ? null
                : "must be letters, digits, '.', '_' or '-'");
        final String bootstrap = p.string(BOOTSTRAP_SERVERS, v -> v.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*") ? null
                : "must be host:port[,host:port...]");
        final String registryUrl = p.string(SCHEMA_REGISTRY_URL, v -> v.matches("(https?|mem)://\\S+") ? null
                : "must be an http(s):// URL of a Confluent-compatible registry (or mem://NAME in tests)");
        final String stateDir = p.string(STATE_DIR, v -> v.isBlank() ? "must not be empty" : null);
        final String prefix = p.string(TOPIC_PREFIX, v -> {
            try {
                TopicCatalogue.withPrefix(v);
                return null;
            } catch (final IllegalArgumentException ex) {
                return ex.getMessage();
            }
        });
        final String guarantee = p.string(PROCESSING_GUARANTEE, v -> v.equals(StreamsConfig.EXACTLY_ONCE_V2)
                || v.equals(StreamsConfig.AT_LEAST_ONCE) ? null : "must be exactly_once_v2 (or at_least_once)");
        final String emergencyGuarantee = p.string(EMERGENCY_PROCESSING_GUARANTEE, v -> v.equals(StreamsConfig.EXACTLY_ONCE_V2)
                || v.equals(StreamsConfig.AT_LEAST_ONCE) ? null : "must be exactly_once_v2 or at_least_once");
        final long commit = p.longIn(COMMIT_INTERVAL_MS, 0, 60_000);
        final long emergencyCommit = p.longIn(EMERGENCY_COMMIT_INTERVAL_MS, 0, 60_000);
        final boolean separate = p.bool(EMERGENCY_SEPARATE_INSTANCE);
        // A project's events share one partition per topic, and a task is one partition of a sub-topology: threads
        // beyond the instance's widest input topic would mostly sit idle.
        final TopicCatalogue partitionsOf = TopicCatalogue.LIVE;
        final int threads = (int) p.longIn(NUM_STREAM_THREADS, 1, separate ? widest(siteInputs(partitionsOf))
                : widest(allInputs(partitionsOf)));
        final int emergencyThreads = (int) p.longIn(EMERGENCY_NUM_STREAM_THREADS, 1, widest(emergencyInputs(partitionsOf)));
        final int httpPort = (int) p.longIn(HTTP_PORT, 0, 65_535);
        final String httpHost = p.string(HTTP_BIND_HOST, v -> v.isBlank() || v.contains(" ") ? "must be a host name or address"
                : null);
        final long skew = p.longIn(EVENT_TIME_MAX_SKEW_MS, 0, Long.MAX_VALUE / 4);
        final ProximitySettings proximity = new ProximitySettings(
                p.doubleIn(PROXIMITY_INNER_FRACTION, 0, false, 1),
                p.doubleIn(PROXIMITY_HYSTERESIS, 0, true, 1),
                p.longIn(PROXIMITY_STALE_AFTER_MS, 1, Long.MAX_VALUE / 4));
        final PresenceSettings presence = new PresenceSettings(p.longIn(PRESENCE_MISSING_AFTER_MS, 1, Long.MAX_VALUE / 4));
        final double cell = p.doubleIn(PROXIMITY_GRID_CELL_M, 5, true, 1_000);
        final long staleCheck = p.longIn(PROXIMITY_STALE_CHECK_INTERVAL_MS, 1, 3_600_000);
        final long missingCheck = p.longIn(PRESENCE_MISSING_CHECK_INTERVAL_MS, 1, 3_600_000);

        final Map<String, ProximitySettings> proximityByProject = new TreeMap<>();
        final Map<String, PresenceSettings> presenceByProject = new TreeMap<>();
        final Map<String, String> ruleProperties = new TreeMap<>();
        final Map<String, String> registry = new TreeMap<>();
        final Map<String, String> kafka = new TreeMap<>();
        for (final Map.Entry<String, String> e : values.entrySet()) {
            final String key = e.getKey();
            final Matcher m = PROJECT_KEY.matcher(key);
            if (m.matches()) {
                final String project = m.group(1);
                switch (m.group(2)) {
                    case "proximity" -> proximityByProject.put(project, p.projectProximity(project,
                            proximityByProject.getOrDefault(project, proximity)));
                    case "presence" -> presenceByProject.put(project, p.projectPresence(project,
                            presenceByProject.getOrDefault(project, presence)));
                    default -> ruleProperties.put(key, e.getValue());
                }
            } else if (key.startsWith("air.") || key.startsWith("noise.")) {
                ruleProperties.put(key, e.getValue());
            } else if (key.startsWith(REGISTRY_PREFIX)) {
                registry.put(key, e.getValue());
            } else if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), e.getValue());
            }
        }
        // The air-quality and noise rules parse their own keys; their messages name the offending keys.
        AirQualityConfig air = null;
        NoiseConfig noise = null;
        try {
            air = AirQualityConfig.fromProperties(ruleProperties);
        } catch (final IllegalArgumentException e) {
            problems.add("air.*: " + e.getMessage() + origin("air.", origins));
        }
        try {
            noise = NoiseConfig.fromProperties(ruleProperties);
        } catch (final IllegalArgumentException e) {
            problems.add("noise.*: " + e.getMessage() + origin("noise.", origins));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        final RuleSettings rules = new RuleSettings(proximity, presence, proximityByProject, presenceByProject, cell,
                staleCheck, missingCheck, ruleProperties, air, noise);
        return new StreamsAppConfig(applicationId, bootstrap, registryUrl, Path.of(stateDir), prefix, guarantee,
                emergencyGuarantee, commit,
                emergencyCommit, separate, threads, emergencyThreads, httpPort, httpHost, skew, rules, registry, kafka);
    }

    /** The topics this app reads and writes. */
    public TopicCatalogue catalogue() {
        return TopicCatalogue.withPrefix(topicPrefix);
    }

    /** What {@link SchemaRegistryClients#fromConfig} needs: the URL and every other {@code schema.registry.*} key. */
    public Map<String, Object> registryConfig() {
        final Map<String, Object> config = new HashMap<>(registryProperties);
        config.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        return config;
    }

    /** Which KafkaStreams instance a set of properties is for. */
    public enum Instance {
        /** Everything in one instance (separateEmergencyInstance=false, and TopologyTestDriver tests). */
        ALL,
        /** Proximity, presence, roll-call, air and noise. */
        SITE,
        /** Wearable alarms and broadcasts: small, latency-critical, committed after every poll. */
        EMERGENCY
    }

    /** The Kafka Streams properties of {@code instance}; client passthrough settings are applied last. */
    public Properties streamsProperties(final Instance instance) {
        final Properties props = new Properties();
        final boolean emergency = instance == Instance.EMERGENCY;
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, emergency ? applicationId + EMERGENCY_SUFFIX : applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, emergency ? emergencyProcessingGuarantee : processingGuarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(emergency ? emergencyCommitIntervalMs : commitIntervalMs));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(emergency ? emergencyNumStreamThreads
                : numStreamThreads));
        // Never wait for an empty partition to fill: rules order by eventTime themselves, latency comes first.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // No record cache: every update goes downstream at once instead of at the next flush.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, AlertProductionExceptionHandler.class.getName());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), emergency ? "0" : "5");
        // With transactions v2 the first write of a new transaction to a partition whose previous transaction's
        // markers are still being written is answered CONCURRENT_TRANSACTIONS and retried after retry.backoff.ms
        // (100 ms by default). With commits every few ms that wait would dominate every alert's latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), "100");
        props.put(HANDLER_TOPIC_PREFIX, topicPrefix);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), OutputCountingInterceptor.class.getName());
        props.put(StreamsConfig.producerPrefix(HANDLER_TOPIC_PREFIX), topicPrefix);
        if (instance == Instance.SITE) {
            final List<String> elsewhere = new ArrayList<>();
            elsewhere.add(catalogue().wearableAlarms().name());
            catalogue().broadcasts().topicsByUrgency().forEach(t -> elsewhere.add(t.name()));
            props.put(HANDLER_DEAD_LETTERS_ELSEWHERE, String.join(",", elsewhere));
        }
        registryConfig().forEach((k, v) -> props.put(k, v.toString()));
        props.putAll(kafkaProperties);
        return props;
    }

    /** Input topics of the site instance (it also reads wearables and broadcasts: evacuations, worker readings). */
    static List<TopicSpec<?>> siteInputs(final TopicCatalogue c) {
        return List.of(c.workerPositions(), c.workerPresence(), c.equipmentStatus(), c.sensorReadings());
    }

    static List<TopicSpec<?>> emergencyInputs(final TopicCatalogue c) {
        final List<TopicSpec<?>> inputs = new ArrayList<>(c.broadcasts().topicsByUrgency());
        inputs.add(c.wearableAlarms());
        return inputs;
    }

    static List<TopicSpec<?>> allInputs(final TopicCatalogue c) {
        final List<TopicSpec<?>> inputs = new ArrayList<>(siteInputs(c));
        inputs.addAll(emergencyInputs(c));
        return inputs;
    }

    private static int widest(final List<TopicSpec<?>> topics) {
        return topics.stream().mapToInt(TopicSpec::partitions).max().orElse(1);
    }

    /** " (from X, Y)": the layers that set keys of a rule family, for its messages. */
    private static String origin(final String family, final Map<String, String> origins) {
        final java.util.Set<String> from = new java.util.TreeSet<>();
        origins.forEach((key, layer) -> {
            if (key.startsWith(family) || key.startsWith("project.") && key.contains("." + family)) {
                from.add(layer);
            }
        });
        return from.isEmpty() ? "" : " (from " + String.join(", ", from) + ")";
    }

    private static boolean known(final String key) {
        return defaultProperties().containsKey(key) || key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()
                || key.startsWith(REGISTRY_PREFIX) || key.startsWith("air.") || key.startsWith("noise.")
                || PROJECT_KEY.matcher(key).matches();
    }

    private static String configFile(final String[] args, final Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new InvalidConfigException(List.of("--config: needs a file name"));
                }
                return args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                return args[i].substring("--config=".length());
            } else {
                throw new InvalidConfigException(List.of(args[i] + ": unknown argument (usage: [--config FILE])"));
            }
        }
        final String fromEnv = env.get(CONFIG_FILE_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }

    private static Map<String, String> readFile(final Path file) {
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (final IOException e) {
            throw new InvalidConfigException(List.of("config file " + file + ": cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        }
        final Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    /**
     * SITEWIRE_PROXIMITY_INNER_FRACTION -> proximity.inner.fraction; KAFKA_SECURITY_PROTOCOL -> kafka.security.protocol;
     * a double underscore is a hyphen: SITEWIRE_AIR_MAX__SAMPLE__GAP -> air.max-sample-gap.
     */
    static Map<String, String> fromEnvironment(final Map<String, String> env) {
        final Map<String, String> map = new TreeMap<>();
        for (final Map.Entry<String, String> e : env.entrySet()) {
            final String name = e.getKey();
            if (name.equals(CONFIG_FILE_ENV)) {
                continue;
            }
            if (name.startsWith("SITEWIRE_") && name.length() > "SITEWIRE_".length()) {
                map.put(dotted(name.substring("SITEWIRE_".length())), e.getValue());
            } else if (KafkaClientEnvironment.isClientSetting(name)) {
                map.put(KAFKA_PREFIX + dotted(name.substring("KAFKA_".length())), e.getValue());
            }
        }
        return map;
    }

    private static String dotted(final String envName) {
        return envName.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }

    /** Reads typed values, adding a problem (with the value's origin) for each bad one. */
    private static final class Parser {
        private final Map<String, String> values;
        private final Map<String, String> origins;
        private final List<String> problems;

        Parser(final Map<String, String> values, final Map<String, String> origins, final List<String> problems) {
            this.values = values;
            this.origins = origins;
            this.problems = problems;
        }

        String string(final String key, final Function<String, String> check) {
            final String v = values.getOrDefault(key, "");
            final String problem = check.apply(v);
            if (problem != null) {
                bad(key, v, problem);
            }
            return v;
        }

        long longIn(final String key, final long min, final long max) {
            final String v = values.getOrDefault(key, "");
            try {
                final long n = Long.parseLong(v);
                if (n < min || n > max) {
                    bad(key, v, "must be between " + min + " and " + max);
                }
                return n;
            } catch (final NumberFormatException e) {
                bad(key, v, "must be a whole number");
                return min;
            }
        }

        double doubleIn(final String key, final double min, final boolean minInclusive, final double max) {
            final String v = values.getOrDefault(key, "");
            try {
                final double n = Double.parseDouble(v);
                if (!Double.isFinite(n) || (minInclusive ? n < min : n <= min) || n > max) {
                    bad(key, v, "must be in " + (minInclusive ? "[" : "(") + min + ", " + max + "]");
                }
                return n;
            } catch (final NumberFormatException e) {
                bad(key, v, "must be a number");
                return max;
            }
        }

        boolean bool(final String key) {
            final String v = values.getOrDefault(key, "");
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                bad(key, v, "must be true or false");
            }
            return Boolean.parseBoolean(v);
        }

        ProximitySettings projectProximity(final String project, final ProximitySettings base) {
            final String p = "project." + project + ".";
            final List<String> fields = List.of(PROXIMITY_INNER_FRACTION, PROXIMITY_HYSTERESIS, PROXIMITY_STALE_AFTER_MS);
            for (final String key : values.keySet()) {
                if (key.startsWith(p + "proximity.") && !fields.contains(key.substring(p.length()))) {
                    bad(key, values.get(key), "unknown proximity key; per project: " + fields);
                }
            }
            return new ProximitySettings(
                    values.containsKey(p + PROXIMITY_INNER_FRACTION) ? doubleIn(p + PROXIMITY_INNER_FRACTION, 0, false, 1) : base.innerFraction(),
                    values.containsKey(p + PROXIMITY_HYSTERESIS) ? doubleIn(p + PROXIMITY_HYSTERESIS, 0, true, 1) : base.hysteresis(),
                    values.containsKey(p + PROXIMITY_STALE_AFTER_MS) ? longIn(p + PROXIMITY_STALE_AFTER_MS, 1, Long.MAX_VALUE / 4) : base.staleAfterMs());
        }

        PresenceSettings projectPresence(final String project, final PresenceSettings base) {
            final String p = "project." + project + ".";
            for (final String key : values.keySet()) {
                if (key.startsWith(p + "presence.") && !key.equals(p + PRESENCE_MISSING_AFTER_MS)) {
                    bad(key, values.get(key), "unknown presence key; per project: [" + PRESENCE_MISSING_AFTER_MS + "]");
                }
            }
            return new PresenceSettings(values.containsKey(p + PRESENCE_MISSING_AFTER_MS)
                    ? longIn(p + PRESENCE_MISSING_AFTER_MS, 1, Long.MAX_VALUE / 4) : base.missingAfterMs());
        }

        private void bad(final String key, final String value, final String problem) {
            final String line = key + " = '" + value + "': " + problem + " (from " + origins.getOrDefault(key, "default") + ")";
            if (!problems.contains(line)) {
                problems.add(line);
            }
        }
    }
}
