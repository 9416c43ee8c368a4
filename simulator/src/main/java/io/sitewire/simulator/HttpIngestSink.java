package io.sitewire.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.json.AvroJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts events to the gateway's {@code POST /v1/events} (device token, JSON array of {@code {"type":..,"data":..}}),
 * in batches, a bounded number of requests at a time. 202 delivers the batch; 429 and 503 are retried (after
 * Retry-After, else with backoff) up to {@value #MAX_ATTEMPTS} attempts, as a device would; any other answer fails
 * the batch. A 503 after a partial write may mean some events of a retried batch arrive twice: at-least-once, the
 * device's usual choice.
 */
public final class HttpIngestSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIngestSink.class);
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int DEFAULT_CONCURRENT_REQUESTS = 4;
    static final int MAX_ATTEMPTS = 5;
    private static final JsonFactory JSON = new JsonFactory();

    private final URI url;
    private final String token;
    private final int batchSize;
    private final int maxRequests;
    private final Duration requestTimeout;
    private final Semaphore requests;
    private final HttpClient client;
    private final ScheduledExecutorService retries;
    private final AtomicInteger inFlightEvents = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();

    public HttpIngestSink(final String url, final String token) {
        this(URI.create(url), token, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENT_REQUESTS, Duration.ofSeconds(30));
    }

    public HttpIngestSink(final URI url, final String token, final int batchSize, final int maxConcurrentRequests,
            final Duration requestTimeout) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("ingest URL must be http(s)://host:port/v1/events, got " + url);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the ingest needs a device token (JWT with role device)");
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batch size must be between 1 and 1000 (the gateway's default limit), got "
                    + batchSize);
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("max concurrent requests must be at least 1");
        }
        this.url = url;
        this.token = token.strip();
        this.batchSize = batchSize;
        this.maxRequests = maxConcurrentRequests;
        this.requestTimeout = requestTimeout;
        this.requests = new Semaphore(maxConcurrentRequests);
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "sitewire-sim-ingest-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void send(final List<? extends SpecificRecord> events, final Delivery delivery) throws InterruptedException {
        for (int from = 0; from < events.size(); from += batchSize) {
            final List<SpecificRecord> batch = new ArrayList<>(events.subList(from, Math.min(events.size(), from + batchSize)));
            requests.acquire();
            inFlightEvents.addAndGet(batch.size());
            final byte[] body;
            try {
                body = body(batch);
            } catch (final RuntimeException e) {
                finish(batch, delivery, e);
                continue;
            }
            post(batch, body, delivery, 1);
        }
    }

    /** The request body: a JSON array of {"type": json name, "data": the record's JSON form}. */
    static byte[] body(final List<? extends SpecificRecord> batch) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * batch.size());
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartArray();
            for (final SpecificRecord event : batch) {
                json.writeStartObject();
                json.writeStringField("type", EventType.of(event).jsonName());
                json.writeFieldName("data");
                AvroJson.write((IndexedRecord) event, json);
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void post(final List<SpecificRecord> batch, final byte[] body, final Delivery delivery, final int attempt) {
        final HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null) {
                retryOrFail(batch, body, delivery, attempt, -1, new IOException("POST " + url + " failed: " + error, error));
                return;
            }
            final int status = response.statusCode();
            if (status == 202 || status == 200) {
                finish(batch, delivery, null);
            } else if (status == 429 || status == 503) {
                final long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(-1);
                retryOrFail(batch, body, delivery, attempt, retryAfter, new IOException("HTTP " + status + " from " + url
                        + ": " + trimmed(response.body())));
            } else {
                finish(batch, delivery, new IOException("HTTP " + status + " from " + url + ": " + trimmed(response.body())));
            }
        });
    }

    private void retryOrFail(final List<SpecificRecord> batch, final byte[] body, final Delivery delivery,
            final int attempt, final long retryAfterSeconds, final Exception error) {
        if (attempt >= MAX_ATTEMPTS || retries.isShutdown()) {
            finish(batch, delivery, error);
            return;
        }
        final long delayMs = retryAfterSeconds >= 0 ? Math.min(30_000, retryAfterSeconds * 1000)
                : Math.min(8_000, 250L << (attempt - 1));
        try {
            retries.schedule(() -> post(batch, body, delivery, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            finish(batch, delivery, error);
        }
    }

    private void finish(final List<SpecificRecord> batch, final Delivery delivery, final Exception error) {
        try {
            if (error == null) {
                batch.forEach(delivery::delivered);
            } else {
                final long n = failures.incrementAndGet();
                if (n <= 5 || n % 1000 == 0) {
                    LOG.warn("a batch of {} events was not ingested (failed batch #{}): {}", batch.size(), n,
                            error.getMessage());
                }
                batch.forEach(e -> delivery.failed(e, error));
            }
        } finally {
            inFlightEvents.addAndGet(-batch.size());
            requests.release();
        }
    }

    private static String trimmed(final String body) {
        if (body == null) {
            return "";
        }
        final String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    @Override
    public boolean flush(final Duration timeout) throws InterruptedException {
        if (requests.tryAcquire(maxRequests, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            requests.release(maxRequests);
            return true;
        }
        return false;
    }

    @Override
    public int inFlight() {
        return inFlightEvents.get();
    }

    @Override
    public String describe() {
        return "ingest " + url;
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
