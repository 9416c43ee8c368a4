package io.sitewire.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sitewire.gateway.auth.AuthException;
import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.EventValidation;
import io.sitewire.schemas.json.AvroJson;
import io.sitewire.schemas.json.JsonFormException;
import io.sitewire.schemas.registry.AvroSerdeException;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.RegistryUnavailableException;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events}: devices (and, for some types, people) put events into Sitewire over HTTP.
 *
 * <p>A request is checked as a whole before anything is written: the token ({@link TokenVerifier}), the body size
 * and event count, every item's type, JSON form ({@link AvroJson}), meaning ({@link EventValidation}) and
 * permission ({@link IngestPolicy}). One bad item and nothing is produced: 400 (invalid) or 403 (not allowed), with
 * the index of every offending item. Then every event is encoded (Confluent framing, schema registry) before the
 * first one is sent, so a registry outage also writes nothing (503).
 *
 * <p>Valid events are produced to {@link RecordRouting#topicFor} under {@link RecordRouting#keyFor} (the project),
 * with the poster's subject in the {@value #INGESTED_BY} header, and the request waits (without holding a thread)
 * for every acknowledgement: 202 with each event's topic, partition and offset, in request order. The producer must
 * be configured by the caller with acks=all and idempotence.
 *
 * <p>When Kafka fails part-way (an error or no acknowledgement within the ack timeout) the answer is 503, and it says
 * for every item whether it was written (with its position), failed (certainly not written), or is unknown (no
 * acknowledgement or a delivery timeout: it may have been or may still be written). The request is not atomic across
 * partitions: a client retrying resends only what was not written, or accepts duplicates (see docs/security-auth.md
 * for why this handler does not use Kafka transactions).
 *
 * <p>Handles that path only ({@code handle} returns false for any other), 405 for other methods.
 */
public final class IngestHandler extends Handler.Abstract {

    public static final String PATH = "/v1/events";
    /** Record header carrying the {@code sub} of the token that posted the event, for audit. */
    public static final String INGESTED_BY = "sitewire-ingested-by";
    static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TokenVerifier verifier;
    private final Producer<String, byte[]> producer;
    private final AvroSerializer<SpecificRecord> serializer;
    private final RecordRouting routing;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    private final Semaphore permits;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<EventType, Counter> accepted = new ConcurrentHashMap<>();
    private final Timer duration;

    public IngestHandler(final TokenVerifier verifier, final Producer<String, byte[]> producer,
            final SchemaRegistryClient registry, final TopicCatalogue catalogue, final IngestConfig config,
            final MeterRegistry metrics) {
        this.verifier = verifier;
        this.producer = producer;
        this.serializer = new AvroSerializer<>(registry, false);
        this.routing = new RecordRouting(catalogue);
        this.config = config;
        this.metrics = metrics;
        this.permits = new Semaphore(config.maxConcurrentRequests());
        this.duration = Timer.builder("sitewire.ingest.duration").description("POST /v1/events, from headers to answer")
                .register(metrics);
        metrics.gauge("sitewire.ingest.in.flight", permits, p -> config.maxConcurrentRequests() - p.availablePermits());
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        // The path the client asked for: a PathMappingsHandler (how the gateway mounts this handler) hands on a
        // request whose path-in-context is relative to the matched mapping, so that one cannot be compared here.
        if (!PATH.equals(request.getHttpURI().getCanonicalPath())) {
            return false;
        }
        final Exchange exchange = new Exchange(response, callback);
        try {
            start(exchange, request);
        } catch (final RuntimeException e) {
            LOG.error("POST {} failed unexpectedly", PATH, e);
            exchange.error(HttpStatus.INTERNAL_SERVER_ERROR_500, "error", "internal error");
        }
        return true;
    }

    private void start(final Exchange exchange, final Request request) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            exchange.response.getHeaders().put(HttpHeader.ALLOW, "POST");
            exchange.error(HttpStatus.METHOD_NOT_ALLOWED_405, "method_not_allowed", PATH + " accepts POST only");
            return;
        }
        final String token = TokenVerifier.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (token == null) {
            exchange.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sitewire\"");
            exchange.error(HttpStatus.UNAUTHORIZED_401, AuthException.UNAUTHORIZED,
                    "no bearer token: send Authorization: Bearer <JWT>");
            return;
        }
        final Principal principal;
        try {
            principal = verifier.verify(token);
        } catch (final AuthException e) {
            exchange.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                    "Bearer realm=\"sitewire\", error=\"invalid_token\"");
            exchange.error(HttpStatus.UNAUTHORIZED_401, e.code(), e.getMessage());
            return;
        }
        final Optional<Boolean> ndjson = ndjson(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        if (ndjson.isEmpty()) {
            exchange.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                    "send application/json (an array of events) or " + NDJSON + ", in UTF-8");
            return;
        }
        final long length = request.getLength();
        if (length > config.maxBodyBytes()) {
            exchange.tooLarge("request body of " + length + " bytes is larger than " + config.maxBodyBytes());
            return;
        }
        if (!permits.tryAcquire()) {
            exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            exchange.error(HttpStatus.SERVICE_UNAVAILABLE_503, "busy", "too many ingest requests at once; retry shortly");
            return;
        }
        exchange.holdsPermit = true;
        BoundedBody.read(request, config.maxBodyBytes(), body -> {
            try {
                process(exchange, principal, ndjson.get(), body);
            } catch (final RuntimeException e) {
                LOG.error("POST {} failed unexpectedly", PATH, e);
                exchange.error(HttpStatus.INTERNAL_SERVER_ERROR_500, "error", "internal error");
            }
        }, failure -> {
            if (failure instanceof BoundedBody.TooLarge tooLarge) {
                exchange.tooLarge(tooLarge.getMessage());
            } else {
                exchange.error(HttpStatus.BAD_REQUEST_400, "bad_request", "request body could not be read");
            }
        });
    }

    private void process(final Exchange exchange, final Principal principal, final boolean ndjson, final byte[] body) {
        final List<EventBatch.Item> items;
        try {
            items = EventBatch.parse(body, ndjson, config.maxEvents());
        } catch (final EventBatch.TooMany e) {
            exchange.tooLarge(e.getMessage());
            return;
        } catch (final EventBatch.Malformed e) {
            exchange.error(HttpStatus.BAD_REQUEST_400, "bad_request", e.getMessage());
            return;
        }
        if (items.isEmpty()) {
            exchange.error(HttpStatus.BAD_REQUEST_400, "bad_request", "no events in the body");
            return;
        }
        final ArrayNode invalid = NODES.arrayNode();
        final ArrayNode forbidden = NODES.arrayNode();
        final List<SpecificRecord> records = new ArrayList<>(items.size());
        for (final EventBatch.Item item : items) {
            final Checked checked = check(principal, item);
            if (checked.forbidden != null) {
                forbidden.add(itemErrors(item.index(), List.of(checked.forbidden)));
            } else if (!checked.errors.isEmpty()) {
                invalid.add(itemErrors(item.index(), checked.errors));
            } else {
                records.add(checked.record);
            }
        }
        if (!forbidden.isEmpty()) {
            exchange.respond(HttpStatus.FORBIDDEN_403, "forbidden", errors("forbidden", forbidden.size()
                    + " event(s) may not be posted with this token; nothing was written", forbidden));
            return;
        }
        if (!invalid.isEmpty()) {
            exchange.respond(HttpStatus.BAD_REQUEST_400, "invalid", errors("bad_request", invalid.size()
                    + " event(s) are invalid; nothing was written", invalid));
            return;
        }
        final List<ProducerRecord<String, byte[]>> encoded = new ArrayList<>(records.size());
        for (final SpecificRecord record : records) {
            final String topic = routing.topicFor(record).name();
            try {
                final RecordHeaders headers = new RecordHeaders();
                headers.add(INGESTED_BY, principal.subject().getBytes(StandardCharsets.UTF_8));
                encoded.add(new ProducerRecord<>(topic, null, routing.keyFor(record), serializer.serialize(topic, record),
                        headers));
            } catch (final RegistryUnavailableException e) {
                LOG.warn("POST {}: schema registry unavailable, nothing written: {}", PATH, e.getMessage());
                exchange.unavailable("registry_unavailable", "schema registry unavailable; nothing was written", null);
                return;
            } catch (final AvroSerdeException e) {
                LOG.error("POST {}: cannot encode a valid {} for {}: {}", PATH, EventType.of(record).jsonName(), topic,
                        e.getMessage(), e);
                exchange.error(HttpStatus.INTERNAL_SERVER_ERROR_500, "error",
                        "events could not be encoded (schema registry refused the schema); nothing was written");
                return;
            }
        }
        produce(exchange, records, encoded);
    }

    /** Sends every record, then answers once all are acknowledged, one failed, or the ack timeout passed. */
    private void produce(final Exchange exchange, final List<SpecificRecord> records,
            final List<ProducerRecord<String, byte[]>> encoded) {
        final List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(encoded.size());
        for (final ProducerRecord<String, byte[]> record : encoded) {
            final CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
            acks.add(ack);
            try {
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        ack.completeExceptionally(exception);
                    } else {
                        ack.complete(metadata);
                    }
                });
            } catch (final RuntimeException e) {
                // send() itself failed (no metadata within max.block.ms, buffer full, producer closed): this and
                // every later item are not sent; earlier ones may be written.
                final NotSent notSent = new NotSent(e);
                ack.completeExceptionally(notSent);
                for (int i = acks.size(); i < encoded.size(); i++) {
                    acks.add(CompletableFuture.failedFuture(notSent));
                }
                break;
            }
        }
        final Executor executor = getServer() != null && getServer().getThreadPool() != null
                ? getServer().getThreadPool() : ForkJoinPool.commonPool();
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
                .orTimeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((ignored, failure) -> answer(exchange, records, acks, failure), executor);
    }

    private void answer(final Exchange exchange, final List<SpecificRecord> records,
            final List<CompletableFuture<RecordMetadata>> acks, final Throwable failure) {
        if (failure == null) {
            final ObjectNode body = NODES.objectNode();
            body.put("accepted", records.size());
            final ArrayNode positions = body.putArray("positions");
            for (int i = 0; i < records.size(); i++) {
                positions.add(position(acks.get(i).join()));
                accepted.computeIfAbsent(EventType.of(records.get(i)), type -> Counter.builder("sitewire.ingest.events")
                        .description("events accepted by POST /v1/events").tag("type", type.jsonName()).register(metrics))
                        .increment();
            }
            exchange.respond(HttpStatus.ACCEPTED_202, "accepted", body);
            return;
        }
        final ArrayNode written = NODES.arrayNode();
        final ArrayNode failed = NODES.arrayNode();
        final ArrayNode unknown = NODES.arrayNode();
        Throwable firstError = null;
        for (int i = 0; i < acks.size(); i++) {
            final CompletableFuture<RecordMetadata> ack = acks.get(i);
            if (!ack.isDone()) {
                unknown.add(i);
            } else if (ack.isCompletedExceptionally()) {
                final Throwable error = cause(ack);
                if (firstError == null) {
                    firstError = error instanceof NotSent ? error.getCause() : error;
                }
                // A delivery timeout means the producer gave up waiting, not that the broker did not append it.
                if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
                    unknown.add(i);
                } else {
                    failed.add(i);
                }
            } else {
                written.add(position(ack.join()).put("index", i));
            }
        }
        final boolean timedOut = cause(failure) instanceof TimeoutException;
        final String message = (timedOut
                ? "Kafka did not acknowledge every event within " + config.ackTimeout()
                : "Kafka refused events (" + (firstError == null ? "unknown error" : firstError.getClass().getSimpleName()) + ")")
                + ": " + written.size() + " written, " + failed.size() + " not written, " + unknown.size()
                + " unknown (may still be written); resend the items not written, expecting duplicates for unknown ones";
        LOG.warn("POST {}: {}", PATH, message, firstError);
        final ObjectNode body = NODES.objectNode();
        body.set("written", written);
        body.set("failed", failed);
        body.set("unknown", unknown);
        exchange.unavailable("unavailable", message, body);
    }

    private static Throwable cause(final CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (final CompletionException e) {
            return e.getCause();
        } catch (final RuntimeException e) {
            return e;
        }
    }

    private static Throwable cause(final Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** send() threw: the record never reached the producer's buffer, so it is certainly not written. */
    private static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSent(final RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** What one item is: a record to produce, a list of errors, or a reason it may not be posted. */
    private record Checked(SpecificRecord record, List<String> errors, String forbidden) {
    }

    private static Checked check(final Principal principal, final EventBatch.Item item) {
        if (item.error() != null) {
            return new Checked(null, List.of(item.error()), null);
        }
        final JsonNode json = item.json();
        if (!json.isObject()) {
            return new Checked(null, List.of("an event must be an object {\"type\": ..., \"data\": {...}}"), null);
        }
        final List<String> errors = new ArrayList<>();
        for (final Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!"type".equals(name) && !"data".equals(name)) {
                errors.add("unknown field '" + shorten(name) + "' next to type and data");
            }
        }
        final JsonNode typeNode = json.get("type");
        final Optional<EventType> type = typeNode != null && typeNode.isTextual()
                ? EventType.byJsonName(typeNode.textValue()) : Optional.empty();
        if (type.isEmpty()) {
            errors.add("type must be one of " + ingestibleNames() + (typeNode == null ? "" : ", got " + shorten(typeNode.toString())));
            return new Checked(null, errors, null);
        }
        if (!type.get().ingestible()) {
            errors.add("type " + type.get().jsonName() + " cannot be posted: it is produced by Sitewire; "
                    + "events that can be posted are " + ingestibleNames());
            return new Checked(null, errors, null);
        }
        final Optional<String> roleProblem = IngestPolicy.whyNot(principal, type.get());
        if (roleProblem.isPresent()) {
            return new Checked(null, List.of(), roleProblem.get());
        }
        final JsonNode data = json.get("data");
        if (data == null) {
            errors.add("data is required");
            return new Checked(null, errors, null);
        }
        final SpecificRecord record;
        try {
            record = AvroJson.fromJson(data, type.get().type());
        } catch (final JsonFormException e) {
            errors.addAll(e.errors());
            return new Checked(null, errors, null);
        }
        errors.addAll(EventValidation.problems(record));
        if (!errors.isEmpty()) {
            return new Checked(null, errors, null);
        }
        final Optional<String> recordProblem = IngestPolicy.whyNot(principal, record);
        return recordProblem.map(reason -> new Checked(null, List.of(), reason))
                .orElseGet(() -> new Checked(record, List.of(), null));
    }

    private static String ingestibleNames() {
        return Arrays.stream(EventType.values()).filter(EventType::ingestible).map(EventType::jsonName)
                .collect(Collectors.joining(", "));
    }

    private static String shorten(final String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** Empty if the content type is not accepted, else whether the body is NDJSON by declaration. */
    static Optional<Boolean> ndjson(final String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.of(false); // told apart by the first character
        }
        final String charset = MimeTypes.getCharsetFromContentType(contentType);
        if (charset != null && !"utf-8".equalsIgnoreCase(charset)) {
            return Optional.empty();
        }
        final String type = MimeTypes.getContentTypeWithoutCharset(contentType).strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> Optional.of(false);
            case NDJSON, "application/ndjson", "application/jsonl" -> Optional.of(true);
            default -> Optional.empty();
        };
    }

    private static ObjectNode position(final RecordMetadata metadata) {
        final ObjectNode position = NODES.objectNode();
        position.put("topic", metadata.topic());
        position.put("partition", metadata.partition());
        position.put("offset", metadata.offset());
        return position;
    }

    private static ObjectNode itemErrors(final int index, final List<String> errors) {
        final ObjectNode node = NODES.objectNode();
        node.put("index", index);
        final ArrayNode list = node.putArray("errors");
        errors.forEach(list::add);
        return node;
    }

    private static ObjectNode errors(final String code, final String message, final ArrayNode errors) {
        final ObjectNode body = NODES.objectNode();
        body.put("error", code);
        body.put("message", message);
        body.set("errors", errors);
        return body;
    }

    /** One request: answers exactly once, then gives back its permit and records its outcome. */
    private final class Exchange {

        final Response response;
        final Callback callback;
        final long startNanos = System.nanoTime();
        final AtomicBoolean answered = new AtomicBoolean();
        volatile boolean holdsPermit;

        Exchange(final Response response, final Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        void error(final int status, final String code, final String message) {
            final ObjectNode body = NODES.objectNode();
            body.put("error", code);
            body.put("message", message);
            respond(status, outcomeOf(status, code), body);
        }

        void tooLarge(final String message) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(HttpStatus.PAYLOAD_TOO_LARGE_413, "too_large", message + " (limits: " + config.maxBodyBytes()
                    + " bytes, " + config.maxEvents() + " events)");
        }

        void unavailable(final String outcome, final String message, final ObjectNode details) {
            final ObjectNode body = details != null ? details : NODES.objectNode();
            body.put("error", "unavailable");
            body.put("message", message);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            respond(HttpStatus.SERVICE_UNAVAILABLE_503, outcome, body);
        }

        void respond(final int status, final String outcome, final ObjectNode body) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            if (holdsPermit) {
                permits.release();
            }
            outcomes.computeIfAbsent(outcome, o -> Counter.builder("sitewire.ingest.requests")
                    .description("POST /v1/events requests by outcome").tag("outcome", o).register(metrics)).increment();
            duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            final byte[] bytes;
            try {
                bytes = EventBatch.MAPPER.writeValueAsBytes(body);
            } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
                callback.failed(e);
                return;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }

        private String outcomeOf(final int status, final String code) {
            return switch (status) {
                case HttpStatus.UNAUTHORIZED_401 -> "unauthorized";
                case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "too_large";
                case HttpStatus.INTERNAL_SERVER_ERROR_500 -> "error";
                case HttpStatus.BAD_REQUEST_400 -> "invalid";
                default -> code;
            };
        }
    }
}
