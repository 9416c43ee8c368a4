package io.sitewire.gateway.config;

import io.sitewire.schemas.KafkaClientEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the gateway can be told, in one typed record. Sources, later ones winning: the defaults
 * below, a properties file ({@code --config FILE} or env {@code SITEWIRE_GATEWAY_CONFIG}), then
 * environment variables {@code SITEWIRE_<KEY>} (key upper-cased, dots as underscores, e.g.
 * {@code SITEWIRE_WS_SEND_QUEUE_FRAMES}). Kafka client settings pass through: {@code kafka.*} keys of
 * the file and {@code KAFKA_*} environment variables ({@code KAFKA_SECURITY_PROTOCOL → security.protocol}).
 *
 * @param port               HTTP/WebSocket port (0 = any free port)
 * @param bindHost           interface to listen on
 * @param bootstrapServers   Kafka bootstrap servers
 * @param schemaRegistryUrl  schema registry (Confluent API) URL, or {@code mem://name}
 * @param topicPrefix        topic catalogue prefix
 * @param auth               {@code auth.*} keys, handed as they are to the token verifier
 * @param allowedOrigins     browser origins allowed to open /v1/stream; "*" = any; empty = same origin only
 * @param maxFrameBytes      largest client frame handled; larger ones get error too_large, 4x larger ones close 1009
 * @param idleTimeout        a connection from which nothing (not even a pong) arrived for this long is dropped
 * @param heartbeatInterval  how often the server pings every connection
 * @param sendQueueFrames    per-connection send-queue bound; exceeding it closes the connection with 4008
 * @param rateLimitPerSecond client frames per second a connection may send (token bucket refill)
 * @param rateLimitBurst     token bucket size
 * @param replayConcurrency  replays (history reads from Kafka) running at once; more wait their turn
 * @param replayTimeout      a replay that has not caught up after this long fails (the client gets an error and retries)
 * @param permessageDeflate  whether clients may negotiate permessage-deflate: it saves bandwidth to phones but
 *                           compresses every frame once per connection, which dominates fan-out CPU
 * @param kafka              extra Kafka client settings
 * @param ingest             {@code ingest.*} keys, handed as they are to the ingest handler's config
 */
public record GatewayConfig(
        int port,
        String bindHost,
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        Map<String, String> auth,
        List<String> allowedOrigins,
        int maxFrameBytes,
        Duration idleTimeout,
        Duration heartbeatInterval,
        int sendQueueFrames,
        int rateLimitPerSecond,
        int rateLimitBurst,
        int replayConcurrency,
        Duration replayTimeout,
        boolean permessageDeflate,
        Map<String, String> kafka,
        Map<String, String> ingest) {

    /** Environment variable naming the properties file. */
    public static final String CONFIG_FILE_ENV = "SITEWIRE_GATEWAY_CONFIG";

    /** The keys, their defaults and their validation: one declaration each. */
    enum Key {
        PORT("port", "8080"),
        BIND_HOST("bind.host", "0.0.0.0"),
        BOOTSTRAP_SERVERS("bootstrap.servers", "127.0.0.1:9092"),
        SCHEMA_REGISTRY_URL("schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7"),
        TOPIC_PREFIX("topic.prefix", "sitewire"),
        ALLOWED_ORIGINS("ws.allowed.origins", ""),
        MAX_FRAME_BYTES("ws.max.frame.bytes", "65536"),
        IDLE_TIMEOUT("ws.idle.timeout", "60s"),
        HEARTBEAT_INTERVAL("ws.heartbeat.interval", "20s"),
        SEND_QUEUE_FRAMES("ws.send.queue.frames", "4096"),
        RATE_LIMIT_PER_SECOND("ws.rate.limit.per.second", "20"),
        RATE_LIMIT_BURST("ws.rate.limit.burst", "100"),
        REPLAY_CONCURRENCY("replay.concurrency", "16"),
        REPLAY_TIMEOUT("replay.timeout", "120s"),
        PERMESSAGE_DEFLATE("ws.permessage.deflate", "true");

        final String name;
        final String defaultValue;

        Key(final String name, final String defaultValue) {
            this.name = name;
            this.defaultValue = defaultValue;
        }

        String envName() {
            return "SITEWIRE_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
        }
    }

    public GatewayConfig {
        auth = Map.copyOf(auth);
        allowedOrigins = List.copyOf(allowedOrigins);
        kafka = Map.copyOf(kafka);
        ingest = Map.copyOf(ingest);
    }

    /** Defaults only (with the given overrides by key name): for tests. */
    public static GatewayConfig of(final Map<String, String> overrides) {
        return load(Map.of(), overrides, Map.of());
    }

    /** Loads from the command line arguments and the process environment. */
    public static GatewayConfig fromArgs(final String[] args, final Map<String, String> env) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else {
                throw new ConfigException(List.of("unknown argument: " + args[i] + " (usage: GatewayMain [--config FILE])"));
            }
        }
        if (file == null && env.get(CONFIG_FILE_ENV) != null && !env.get(CONFIG_FILE_ENV).isBlank()) {
            file = Path.of(env.get(CONFIG_FILE_ENV));
        }
        final Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
        return load(fromFile, Map.of(), env);
    }

    static Map<String, String> readFile(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
        }
        final Map<String, String> map = new TreeMap<>();
        // auth.* values are kept as written: a secret is exactly its bytes.
        properties.stringPropertyNames().forEach(k -> map.put(k, k.startsWith("auth.") ? properties.getProperty(k) : properties.getProperty(k).trim()));
        return map;
    }

    /** Merges the layers (file, then explicit overrides, then environment) and validates everything at once. */
    static GatewayConfig load(final Map<String, String> file, final Map<String, String> overrides, final Map<String, String> env) {
        final Map<String, String> merged = new LinkedHashMap<>();
        for (final Key key : Key.values()) {
            merged.put(key.name, key.defaultValue);
        }
        merged.putAll(file);
        merged.putAll(overrides);
        final Map<String, String> auth = new TreeMap<>();
        final Map<String, String> kafka = new TreeMap<>();
        final Map<String, String> ingest = new TreeMap<>();
        for (final Map.Entry<String, String> e : merged.entrySet()) {
            if (e.getKey().startsWith("auth.")) {
                auth.put(e.getKey(), e.getValue());
            } else if (e.getKey().startsWith("ingest.")) {
                ingest.put(e.getKey(), e.getValue());
            } else if (e.getKey().startsWith("kafka.")) {
                kafka.put(e.getKey().substring("kafka.".length()), e.getValue());
            }
        }
        for (final Key key : Key.values()) {
            final String value = env.get(key.envName());
            if (value != null) {
                merged.put(key.name, value.trim());
            }
        }
        for (final Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("SITEWIRE_AUTH_")) {
                auth.put("auth." + e.getKey().substring("SITEWIRE_AUTH_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
            } else if (e.getKey().startsWith("SITEWIRE_INGEST_")) {
                ingest.put("ingest." + e.getKey().substring("SITEWIRE_INGEST_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
            } else if (KafkaClientEnvironment.isClientSetting(e.getKey())) {
                kafka.put(KafkaClientEnvironment.clientKey(e.getKey()), e.getValue());
            }
        }

        final List<String> problems = new ArrayList<>();
        final Parser p = new Parser(merged, problems);
        final GatewayConfig config = new GatewayConfig(
                p.integer(Key.PORT, 0, 65535),
                p.nonBlank(Key.BIND_HOST),
                p.nonBlank(Key.BOOTSTRAP_SERVERS),
                p.registryUrl(Key.SCHEMA_REGISTRY_URL),
                p.topicPrefix(Key.TOPIC_PREFIX),
                auth,
                p.origins(Key.ALLOWED_ORIGINS),
                p.integer(Key.MAX_FRAME_BYTES, 256, 16 * 1024 * 1024),
                p.duration(Key.IDLE_TIMEOUT, Duration.ofSeconds(1)),
                p.duration(Key.HEARTBEAT_INTERVAL, Duration.ofMillis(100)),
                p.integer(Key.SEND_QUEUE_FRAMES, 16, 1_000_000),
                p.integer(Key.RATE_LIMIT_PER_SECOND, 1, 100_000),
                p.integer(Key.RATE_LIMIT_BURST, 1, 1_000_000),
                p.integer(Key.REPLAY_CONCURRENCY, 1, 256),
                p.duration(Key.REPLAY_TIMEOUT, Duration.ofSeconds(1)),
                p.bool(Key.PERMESSAGE_DEFLATE),
                kafka,
                ingest);
        if (problems.isEmpty() && config.heartbeatInterval().compareTo(config.idleTimeout()) >= 0) {
            problems.add(Key.HEARTBEAT_INTERVAL.name + " (" + config.heartbeatInterval() + ") must be shorter than "
                    + Key.IDLE_TIMEOUT.name + " (" + config.idleTimeout() + "), or live idle clients would be dropped");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** The auth keys with the given ones: handy in tests and for the token verifier's own fromProperties. */
    public Map<String, String> authProperties() {
        return auth;
    }

    /** Whether a browser Origin may open /v1/stream ({@code host} is the request's Host header, for same-origin). */
    public boolean originAllowed(final String origin, final String host) {
        if (origin == null) {
            return true; // not a browser: the token decides
        }
        if (allowedOrigins.contains("*") || allowedOrigins.contains(origin)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        return origin.equals("http://" + host) || origin.equals("https://" + host);
    }

    /** A readable one-key-per-line dump without secrets, for the start log. */
    public String describe() {
        final StringBuilder out = new StringBuilder();
        out.append("port=").append(port).append(", bind.host=").append(bindHost)
                .append(", bootstrap.servers=").append(bootstrapServers)
                .append(", schema.registry.url=").append(schemaRegistryUrl)
                .append(", topic.prefix=").append(topicPrefix)
                .append(", ws.allowed.origins=").append(allowedOrigins)
                .append(", ws.max.frame.bytes=").append(maxFrameBytes)
                .append(", ws.idle.timeout=").append(idleTimeout)
                .append(", ws.heartbeat.interval=").append(heartbeatInterval)
                .append(", ws.send.queue.frames=").append(sendQueueFrames)
                .append(", ws.rate.limit=").append(rateLimitPerSecond).append("/s burst ").append(rateLimitBurst)
                .append(", replay.concurrency=").append(replayConcurrency)
                .append(", replay.timeout=").append(replayTimeout)
                .append(", auth keys=").append(auth.keySet())
                .append(", ingest keys=").append(ingest.keySet())
                .append(", kafka keys=").append(kafka.keySet());
        return out.toString();
    }

    /** Parses the merged map key by key, collecting every problem rather than stopping at the first. */
    private record Parser(Map<String, String> values, List<String> problems) {

        String raw(final Key key) {
            return values.get(key.name);
        }

        <T> T parse(final Key key, final T fallback, final Function<String, T> parser) {
            try {
                return parser.apply(raw(key));
            } catch (final RuntimeException e) {
                problems.add(key.name + " (env " + key.envName() + "): " + e.getMessage());
                return fallback;
            }
        }

        int integer(final Key key, final int min, final int max) {
            return parse(key, min, s -> {
                final int value;
                try {
                    value = Integer.parseInt(s.trim());
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("not a whole number: '" + s + "'");
                }
                if (value < min || value > max) {
                    throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + value);
                }
                return value;
            });
        }

        boolean bool(final Key key) {
            return parse(key, true, s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("must be true or false, got '" + s + "'");
            });
        }

        String nonBlank(final Key key) {
            return parse(key, "", s -> {
                if (s == null || s.isBlank()) {
                    throw new IllegalArgumentException("must not be empty");
                }
                return s.trim();
            });
        }

        String registryUrl(final Key key) {
            return parse(key, "", s -> {
                if (!(s.startsWith("http://") || s.startsWith("https://") || s.startsWith("mem://"))) {
                    throw new IllegalArgumentException("must start with http://, https:// or mem://, got '" + s + "'");
                }
                return s;
            });
        }

        String topicPrefix(final Key key) {
            return parse(key, "sitewire", s -> {
                if (!s.matches("[a-z0-9][a-z0-9-]{0,40}")) {
                    throw new IllegalArgumentException("must be lower-case letters, digits and '-', got '" + s + "'");
                }
                return s;
            });
        }

        List<String> origins(final Key key) {
            return parse(key, List.of(), s -> {
                final List<String> origins = Arrays.stream(s.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
                for (final String origin : origins) {
                    if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                        throw new IllegalArgumentException("an origin is scheme://host[:port] without a path, got '" + origin + "'");
                    }
                }
                return origins;
            });
        }

        Duration duration(final Key key, final Duration min) {
            return parse(key, min, s -> {
                final Duration d = parseDuration(s);
                if (d.compareTo(min) < 0) {
                    throw new IllegalArgumentException("must be at least " + min + ", got " + s);
                }
                return d;
            });
        }
    }

    /** "250ms", "30s", "5m", "1h" or ISO-8601 ("PT30S"). */
    static Duration parseDuration(final String text) {
        final String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            }
        } catch (final RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("not a duration (e.g. 250ms, 30s, 5m, 1h, PT30S): '" + text + "'");
    }
}
