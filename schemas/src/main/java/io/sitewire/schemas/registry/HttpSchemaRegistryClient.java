package io.sitewire.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over HTTP, speaking the Confluent REST API (also served by Apicurio Registry under
 * {@code /apis/ccompat/v7}). Connection errors, timeouts, 429 and 5xx are retried with exponential backoff (with
 * jitter, so many clients that lost the registry together do not come back in lock step); other 4xx are the
 * registry's answer and are not retried.
 *
 * <p>Caches: schema id to schema (forever: ids are immutable) and (subject, schema) to id (a registered version
 * keeps its id). Both are unbounded because Sitewire has a few dozen schemas, not millions. Apicurio differences
 * handled here: ids are not consecutive (we never assume they are), and {@code GET /schemas/ids/{id}} omits
 * {@code schemaType} for Avro (absent means AVRO, as in Confluent's API).
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;

    private final ConcurrentHashMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private HttpSchemaRegistryClient(final Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.headers = Map.copyOf(builder.headers);
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.requestTimeout = builder.requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(builder.requestTimeout)
                // Plain HTTP/1.1: an h2c upgrade attempt buys nothing for small JSON calls.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A builder for a client of the registry at {@code url} (e.g. {@code http://host:8080/apis/ccompat/v7}). */
    public static Builder builder(final String url) {
        return new Builder(url);
    }

    @Override
    public String url() {
        return baseUrl;
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = call("register schema", subject, "POST",
                "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        final int id = requiredInt(answer, "id", "register schema", subject);
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = call("look up schema", subject, "POST", "/subjects/" + encode(subject),
                schemaBody(schema));
        final int id = requiredInt(answer, "id", "look up schema", subject);
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema byId(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final String operation = "get schema id " + id;
        final JsonNode answer = call(operation, null, "GET", "/schemas/ids/" + id, null);
        // Apicurio leaves schemaType out for Avro; Confluent does too. Absent means AVRO.
        final String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw SchemaRegistryException.rejected(baseUrl, operation, null, 200, 0,
                    "schema id " + id + " is a " + type + " schema, not Avro");
        }
        final String text = answer.path("schema").asText(null);
        if (text == null) {
            throw SchemaRegistryException.rejected(baseUrl, operation, null, 200, 0,
                    "answer has no \"schema\": " + answer);
        }
        final Schema schema;
        try {
            // A fresh parser per schema: each registered schema is self-contained, and names must not leak.
            schema = new Schema.Parser().parse(text);
        } catch (final SchemaParseException e) {
            throw SchemaRegistryException.rejected(baseUrl, operation, null, 200, 0,
                    "schema id " + id + " is not valid Avro (" + e.getMessage() + "): " + text);
        }
        final Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public List<Integer> versions(final String subject) {
        final JsonNode answer = call("list versions", subject, "GET", "/subjects/" + encode(subject) + "/versions",
                null);
        final List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public boolean isCompatible(final String subject, final Schema schema) {
        try {
            final JsonNode answer = call("check compatibility", subject, "POST",
                    "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (final SchemaRegistryException e) {
            // Nothing registered yet: anything is compatible with nothing.
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(final String subject, final String level) {
        final ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("set compatibility " + level, subject, "PUT", "/config/" + encode(subject), body);
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + baseUrl + "]";
    }

    private JsonNode call(final String operation, final String subject, final String method, final String path,
            final JsonNode body) {
        final HttpRequest request = request(method, path, body);
        final long start = System.nanoTime();
        Duration backoff = initialBackoff.compareTo(maxBackoff) > 0 ? maxBackoff : initialBackoff;
        IOException lastError = null;
        int lastStatus = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                final int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(response.body(), operation, subject, status);
                }
                if (status < 500 && status != 429) {
                    throw rejected(operation, subject, status, response.body());
                }
                lastStatus = status;
                lastError = null;
            } catch (final IOException e) {
                lastError = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SchemaRegistryException.unreachable(baseUrl, operation, subject, attempt, since(start),
                        lastStatus, e);
            }
            if (attempt >= maxAttempts) {
                throw SchemaRegistryException.unreachable(baseUrl, operation, subject, attempt, since(start),
                        lastStatus, lastError);
            }
            final long sleepMs = jittered(backoff);
            LOG.warn("Schema registry {}: {}{} failed (attempt {} of {}: {}); retrying in {} ms", baseUrl, operation,
                    subject == null ? "" : " for subject '" + subject + "'", attempt, maxAttempts,
                    lastError != null ? lastError.toString() : "HTTP " + lastStatus, sleepMs);
            try {
                Thread.sleep(sleepMs);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SchemaRegistryException.unreachable(baseUrl, operation, subject, attempt, since(start),
                        lastStatus, lastError);
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    private HttpRequest request(final String method, final String path, final JsonNode body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return request.build();
    }

    private JsonNode parse(final String body, final String operation, final String subject, final int status) {
        try {
            return JSON.readTree(body);
        } catch (final IOException e) {
            throw SchemaRegistryException.rejected(baseUrl, operation, subject, status, 0,
                    "answer is not JSON: " + abbreviate(body));
        }
    }

    private SchemaRegistryException rejected(final String operation, final String subject, final int status,
            final String body) {
        int errorCode = status;
        String message = abbreviate(body);
        try {
            final JsonNode error = JSON.readTree(body);
            errorCode = error.path("error_code").asInt(status);
            message = error.path("message").asText(message);
        } catch (final IOException | RuntimeException e) {
            // Not the registry's JSON error (a proxy's HTML page, say): keep the raw body as the message.
        }
        return SchemaRegistryException.rejected(baseUrl, operation, subject, status, errorCode, message);
    }

    private int requiredInt(final JsonNode answer, final String field, final String operation,
            final String subject) {
        final JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw SchemaRegistryException.rejected(baseUrl, operation, subject, 200, 0,
                    "answer has no integer \"" + field + "\": " + abbreviate(answer.toString()));
        }
        return value.intValue();
    }

    private static ObjectNode schemaBody(final Schema schema) {
        // No schemaType: AVRO is the default in both Confluent's and Apicurio's API.
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static String encode(final String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long jittered(final Duration backoff) {
        final long ms = Math.max(1, backoff.toMillis());
        return ms - ThreadLocalRandom.current().nextLong(ms / 5 + 1);
    }

    private static Duration since(final long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String abbreviate(final String text) {
        if (text == null || text.isBlank()) {
            return "(empty body)";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    /** Cache key. Schema's equals/hashCode are structural and the hash is memoised inside the Schema. */
    private record SubjectSchema(String subject, Schema schema) {
    }

    /** Settings with their defaults: 5 attempts, backoff 200 ms doubling to at most 2 s (about 3 s in all). */
    public static final class Builder {

        private final String baseUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);

        private Builder(final String url) {
            Objects.requireNonNull(url, "url");
            final URI uri = URI.create(url.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("Not an http(s) schema registry URL: " + url);
            }
            String base = uri.toString();
            if (uri.getRawUserInfo() != null) {
                // http://user:secret@host/...: the JDK client will not send URL credentials, so turn them into
                // basic auth, and keep them out of the URL that appears in messages and logs.
                basicAuthUserInfo(URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8));
                base = base.replace(uri.getRawUserInfo() + "@", "");
            }
            this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }

        /** Basic auth from {@code user:password}. */
        public Builder basicAuthUserInfo(final String userInfo) {
            if (userInfo == null || !userInfo.contains(":")) {
                throw new IllegalArgumentException("Basic auth user info must be user:password");
            }
            return header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }

        /** An extra header sent with every request (a gateway token, a tenant id). */
        public Builder header(final String name, final String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How many times a call is tried in all (1 = no retry). */
        public Builder maxAttempts(final int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        public Builder initialBackoff(final Duration backoff) {
            this.initialBackoff = positive(backoff, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(final Duration backoff) {
            this.maxBackoff = positive(backoff, "maxBackoff");
            return this;
        }

        /** Per attempt, for connecting and for the answer. */
        public Builder requestTimeout(final Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public HttpSchemaRegistryClient build() {
            return new HttpSchemaRegistryClient(this);
        }

        private static Duration positive(final Duration value, final String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }
    }
}
