package io.sitewire.schemas.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Builds a {@link SchemaRegistryClient} from Kafka-style client properties. This is the one place that reads the
 * registry keys; serdes named in producer, consumer or Streams properties come here through
 * {@code configure(Map, boolean)}.
 *
 * <p>Clients are shared per distinct configuration: Kafka Streams creates new serde instances for every task it is
 * given, and a shared client keeps its cache of ids and schemas across them, which is what lets a rebalance during a
 * registry outage go on with the schemas already known.
 */
public final class SchemaRegistryClients {

    /** {@code http(s)://host:port/path} of a Confluent-compatible API, or {@code mem://NAME}. Required. */
    public static final String URL = "schema.registry.url";
    /** {@code USER_INFO} (default; credentials from {@link #BASIC_AUTH_USER_INFO}) or {@code URL} (from the URL). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} for basic auth. Also read as {@code schema.registry.basic.auth.user.info}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    static final String BASIC_AUTH_USER_INFO_PREFIXED = "schema.registry." + BASIC_AUTH_USER_INFO;
    /** Prefix of extra request headers: {@code schema.registry.request.header.X-Tenant=site-7}. */
    public static final String REQUEST_HEADER_PREFIX = "schema.registry.request.header.";
    /** Attempts per call in all, including the first (default 5). */
    public static final String RETRY_ATTEMPTS = "schema.registry.retry.attempts";
    /** First retry delay, doubled per retry (default 200). */
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    /** Largest retry delay (default 2000). */
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    /** Connect and response timeout per attempt (default 5000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    static final String MEMORY_SCHEME = "mem://";

    private static final ConcurrentHashMap<Settings, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /** The client for these settings, shared with every other caller that passes the same settings. */
    public static SchemaRegistryClient fromConfig(final Map<String, ?> config) {
        final Settings settings = Settings.of(config);
        if (settings.url.startsWith(MEMORY_SCHEME)) {
            return InMemorySchemaRegistry.named(settings.url.substring(MEMORY_SCHEME.length()));
        }
        return SHARED.computeIfAbsent(settings, Settings::newHttpClient);
    }

    /** A new client of its own (own caches) for these settings; {@code mem://} URLs still give the shared one. */
    public static SchemaRegistryClient newClient(final Map<String, ?> config) {
        final Settings settings = Settings.of(config);
        if (settings.url.startsWith(MEMORY_SCHEME)) {
            return InMemorySchemaRegistry.named(settings.url.substring(MEMORY_SCHEME.length()));
        }
        return settings.newHttpClient();
    }

    /** Everything that makes two clients different; it holds secrets, so its toString shows none. */
    private record Settings(String url, String userInfo, Map<String, String> headers, int attempts,
            long backoffMs, long maxBackoffMs, long timeoutMs) {

        static Settings of(final Map<String, ?> config) {
            final String url = string(config, URL);
            if (url == null || url.isBlank()) {
                throw new ConfigException(URL, url, "is required: an http(s):// URL of the schema registry "
                        + "(e.g. http://127.0.0.1:8080/apis/ccompat/v7) or mem://NAME for an in-memory one");
            }
            if (url.contains(",")) {
                throw new ConfigException(URL, url, "must be one URL; a list of registries is not supported");
            }
            final String source = string(config, BASIC_AUTH_CREDENTIALS_SOURCE);
            String userInfo = string(config, BASIC_AUTH_USER_INFO);
            if (userInfo == null) {
                userInfo = string(config, BASIC_AUTH_USER_INFO_PREFIXED);
            }
            if (source != null && !"USER_INFO".equalsIgnoreCase(source) && !"URL".equalsIgnoreCase(source)) {
                throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "must be USER_INFO or URL");
            }
            if ("URL".equalsIgnoreCase(source)) {
                userInfo = null; // the URL's user:password@ is turned into basic auth by the HTTP client itself
            }
            if (userInfo != null && !userInfo.contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]", "must be user:password");
            }
            final Map<String, String> headers = new TreeMap<>();
            config.forEach((key, value) -> {
                if (key.startsWith(REQUEST_HEADER_PREFIX) && value != null) {
                    headers.put(key.substring(REQUEST_HEADER_PREFIX.length()), string(config, key));
                }
            });
            return new Settings(url.strip(), userInfo, Map.copyOf(headers),
                    (int) number(config, RETRY_ATTEMPTS, 5, 1),
                    number(config, RETRY_BACKOFF_MS, 200, 1),
                    number(config, RETRY_BACKOFF_MAX_MS, 2000, 1),
                    number(config, REQUEST_TIMEOUT_MS, 5000, 1));
        }

        HttpSchemaRegistryClient newHttpClient() {
            final HttpSchemaRegistryClient.Builder builder;
            try {
                builder = HttpSchemaRegistryClient.builder(url);
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(URL, url, e.getMessage());
            }
            if (userInfo != null) {
                builder.basicAuthUserInfo(userInfo);
            }
            headers.forEach(builder::header);
            return builder.maxAttempts(attempts)
                    .initialBackoff(Duration.ofMillis(backoffMs))
                    .maxBackoff(Duration.ofMillis(maxBackoffMs))
                    .requestTimeout(Duration.ofMillis(timeoutMs))
                    .build();
        }

        @Override
        public String toString() {
            return "Settings[" + url + "]";
        }

        private static String string(final Map<String, ?> config, final String key) {
            final Object value = config.get(key);
            if (value == null) {
                return null;
            }
            return value instanceof Password password ? password.value() : value.toString();
        }

        private static long number(final Map<String, ?> config, final String key, final long defaultValue,
                final long min) {
            final Object value = config.get(key);
            if (value == null) {
                return defaultValue;
            }
            final long parsed;
            try {
                parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
            } catch (final NumberFormatException e) {
                throw new ConfigException(key, value, "must be a whole number");
            }
            if (parsed < min) {
                throw new ConfigException(key, value, String.format(Locale.ROOT, "must be at least %d", min));
            }
            return parsed;
        }
    }
}
