package io.sitewire.gateway.replay.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sitewire.gateway.auth.AuthException;
import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.replay.InvalidRangeQueryException;
import io.sitewire.schemas.replay.NdjsonRangeWriter;
import io.sitewire.schemas.replay.RangePlan;
import io.sitewire.schemas.replay.RangeQuery;
import io.sitewire.schemas.replay.RangeReader;
import io.sitewire.schemas.replay.RangeSummary;
import io.sitewire.schemas.replay.ReplayAbortedException;
import io.sitewire.schemas.replay.ReplayException;
import io.sitewire.schemas.replay.ReplayListener;
import io.sitewire.schemas.replay.ReplayProgress;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/replay}: a range query ({@link RangeQuery#fromQueryParameters}) streamed as NDJSON
 * ({@link NdjsonRangeWriter}) with a final summary line (docs/replay.md).
 *
 * <p>Everything that can refuse the request is checked before the status line: the bearer token
 * ({@link TokenVerifier}), the query (400 with every problem), the caller's role and projects ({@link ReplayAccess},
 * 403), the number of replays in progress (429), and the plan (400 for partitions a topic lacks, 503 when topics or
 * Kafka are missing). Then records are written as they are read: the JSON generator hands Jetty a few KiB at a time
 * and the response is flushed after every fetched batch, so memory is bounded whatever the range.
 *
 * <p>Every request has its own short-lived consumer ({@link RangeReader}: assign and seek, no group, no commits),
 * never the live tailer's. The read is blocking and runs on the request's thread; {@link ReplayLimits#maxConcurrent}
 * bounds how many threads and consumers replays hold. A client that goes away fails the next write (or Jetty reports
 * the failure), which ends the read and closes the consumer.
 */
public final class ReplayHttpHandler extends Handler.Abstract {

    public static final String PATH = "/v1/replay";
    public static final String NDJSON = "application/x-ndjson";
    /** Bytes one fetch of a replay's consumer may return (unless the Kafka settings say otherwise). */
    public static final int FETCH_MAX_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ReplayHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenVerifier verifier;
    private final SchemaRegistryClient registry;
    private final TopicCatalogue catalogue;
    private final Map<String, Object> consumerConfig;
    private final ReplayLimits limits;
    private final Semaphore permits;
    private final MeterRegistry metrics;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * @param consumerConfig the gateway's Kafka client settings ({@code bootstrap.servers}, security); group and
     *                       commit settings are removed by {@link RangeReader#consumerConfig}
     */
    public ReplayHttpHandler(final TokenVerifier verifier, final SchemaRegistryClient registry, final TopicCatalogue catalogue,
            final Map<String, ?> consumerConfig, final ReplayLimits limits, final MeterRegistry metrics) {
        this.verifier = verifier;
        this.registry = registry;
        this.catalogue = catalogue;
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.limits = limits;
        this.permits = new Semaphore(limits.maxConcurrent());
        this.metrics = metrics;
        metrics.gauge("sitewire.replay.http.in.flight", permits, p -> limits.maxConcurrent() - p.availablePermits());
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        // Compared with the path the client asked for: under a PathMappingsHandler the path-in-context is relative.
        if (!PATH.equals(request.getHttpURI().getCanonicalPath())) {
            return false;
        }
        try {
            serve(request, response, callback);
        } catch (final RuntimeException e) {
            LOG.error("GET {} failed unexpectedly", PATH, e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "error", "internal error");
            }
        }
        return true;
    }

    private void serve(final Request request, final Response response, final Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "method_not_allowed", PATH + " accepts GET only");
            return;
        }
        final String token = TokenVerifier.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (token == null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sitewire\"");
            error(response, callback, HttpStatus.UNAUTHORIZED_401, AuthException.UNAUTHORIZED,
                    "no bearer token: send Authorization: Bearer <JWT>");
            return;
        }
        final Principal principal;
        try {
            principal = verifier.verify(token);
        } catch (final AuthException e) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sitewire\", error=\"invalid_token\"");
            error(response, callback, HttpStatus.UNAUTHORIZED_401, e.code(), e.getMessage());
            return;
        }
        final Optional<String> noRole = ReplayAccess.whyNot(principal);
        if (noRole.isPresent()) {
            error(response, callback, HttpStatus.FORBIDDEN_403, AuthException.FORBIDDEN, noRole.get());
            return;
        }
        final RangeQuery query;
        try {
            query = capped(RangeQuery.fromQueryParameters(parameters(request)));
        } catch (final InvalidRangeQueryException e) {
            invalid(response, callback, e.problems());
            return;
        }
        final Optional<String> denied = ReplayAccess.whyNot(principal, query);
        if (denied.isPresent()) {
            error(response, callback, HttpStatus.FORBIDDEN_403, AuthException.FORBIDDEN, denied.get());
            return;
        }
        if (!permits.tryAcquire()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            error(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "busy",
                    limits.maxConcurrent() + " replays are running on this gateway; retry shortly");
            return;
        }
        try {
            stream(request, response, callback, principal, query);
        } finally {
            permits.release();
        }
    }

    private void stream(final Request request, final Response response, final Callback callback, final Principal principal,
            final RangeQuery query) {
        final Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sitewire-gateway-http-replay-" + sequence.incrementAndGet());
        // A fetch is what one replay holds in memory at most; Kafka's default (50 MiB) times replay.concurrency is
        // too much for a gateway's heap, and a smaller fetch costs a stream that is written out as it is read little.
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        final Flusher flusher = new Flusher();
        request.addFailureListener(flusher::clientGone);
        // A selective query can read Kafka for longer than the connector's idle timeout without writing a byte. Jetty
        // asks this listener only when no write is pending (a client that stopped reading still times out on its
        // write); a read that makes no progress is ended by the reader's own idle timeout.
        request.addIdleTimeoutListener(timeout -> false);
        try (RangeReader reader = new RangeReader(config, registry, catalogue,
                RangeReader.Options.defaults().withIdleTimeout(limits.idleTimeout()).withListener(flusher))) {
            final RangePlan plan;
            try {
                plan = reader.plan(query);
            } catch (final InvalidRangeQueryException e) {
                invalid(response, callback, e.problems());
                return;
            } catch (final ReplayException | KafkaException e) {
                LOG.warn("GET {} by {}: cannot plan {}: {}", PATH, principal.subject(), query.describe(), e.getMessage());
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
                error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "unavailable",
                        "the range cannot be read now: " + e.getMessage());
                return;
            }
            LOG.info("GET {} by {}: {} ({} partitions, up to {} records)", PATH, principal.subject(), query.describe(),
                    plan.partitions().size(), plan.estimatedRecords());
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, NDJSON + ";charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            final OutputStream out = Content.Sink.asOutputStream(response);
            final NdjsonRangeWriter writer = new NdjsonRangeWriter(out);
            flusher.writer = writer;
            try {
                final RangeSummary summary = reader.read(plan, writer);
                writer.writeSummary(summary);
                count("complete");
            } catch (final ReplayAbortedException e) {
                LOG.warn("GET {} by {}: {} stopped: {}", PATH, principal.subject(), query.describe(), e.getMessage());
                writer.writeSummary(e.summary(), e.getMessage());
                count("aborted");
            }
            out.close();
            callback.succeeded();
        } catch (final UncheckedIOException | ClientGone e) {
            // The client went away: the read ends here and the consumer is closed by try-with-resources.
            LOG.debug("GET {} by {}: client gone: {}", PATH, principal.subject(), e.getMessage());
            count("client_gone");
            callback.failed(e);
        } catch (final IOException e) {
            count("client_gone");
            callback.failed(e);
        }
    }

    /** A query without a limit gets the configured maximum; a larger one is refused. */
    private RangeQuery capped(final RangeQuery query) {
        if (query.limit().isPresent()) {
            if (query.limit().getAsLong() > limits.maxLimit()) {
                throw new InvalidRangeQueryException(RangeQuery.LIMIT + ": at most " + limits.maxLimit()
                        + " records per request, got " + query.limit().getAsLong() + " (split the range)");
            }
            return query;
        }
        return new RangeQuery(query.topics(), query.from(), query.to(), query.offsets(), query.projects(),
                query.priorities(), query.types(), query.zones(), OptionalLong.of(limits.maxLimit()));
    }

    /** The query string as names with their values; a string Jetty cannot decode is one problem. */
    private static Map<String, List<String>> parameters(final Request request) {
        final Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (final RuntimeException e) {
            throw new InvalidRangeQueryException("the query string is not valid URL encoding (UTF-8, %XX escapes)");
        }
        final Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (final Fields.Field field : fields) {
            parameters.computeIfAbsent(field.getName(), n -> new ArrayList<>()).addAll(field.getValues());
        }
        return parameters;
    }

    private void invalid(final Response response, final Callback callback, final List<String> problems) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("error", "invalid_query");
        body.put("message", "the range query is invalid: " + problems.size() + " problem(s)");
        final ArrayNode list = body.putArray("problems");
        problems.forEach(list::add);
        respond(response, callback, HttpStatus.BAD_REQUEST_400, "invalid_query", body);
    }

    private void error(final Response response, final Callback callback, final int status, final String code,
            final String message) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        respond(response, callback, status, code, body);
    }

    private void respond(final Response response, final Callback callback, final int status, final String outcome,
            final ObjectNode body) {
        count(outcome);
        final byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (final IOException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private void count(final String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("sitewire.replay.http.requests")
                .description("GET /v1/replay requests by outcome").tag("outcome", o).register(metrics)).increment();
    }

    /** The client went away while nothing was being written (a stretch where no record matched). */
    private static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone(final Throwable cause) {
            super("client gone: " + cause, cause, false, false);
        }
    }

    /**
     * After every fetched batch: pushes what was written to the client (so it sees records as they are read, and a
     * broken connection fails here), and ends the read when Jetty reported the request failed.
     */
    private static final class Flusher implements ReplayListener {
        volatile NdjsonRangeWriter writer;
        private volatile Throwable gone;
        private long flushed;

        void clientGone(final Throwable failure) {
            gone = failure;
        }

        @Override
        public void onProgress(final ReplayProgress progress) {
            if (gone != null) {
                throw new ClientGone(gone);
            }
            final NdjsonRangeWriter w = writer;
            if (w != null && w.written() != flushed) {
                flushed = w.written();
                w.flush();
            }
        }
    }
}
