package io.sitewire.gateway.ingest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Limits of {@code POST /v1/events}.
 *
 * @param maxBodyBytes          largest request body ({@value #MAX_BODY_BYTES}, default 1 MiB): larger is 413
 * @param maxEvents             most events in one request ({@value #MAX_EVENTS}, default 1000): more is 413
 * @param ackTimeout            how long to wait for Kafka to acknowledge a request's events ({@value #ACK_TIMEOUT},
 *                              ISO-8601, default PT10S): longer is 503
 * @param maxConcurrentRequests requests being read, checked or produced at once ({@value #MAX_CONCURRENT}, default
 *                              64): more are answered 503 with Retry-After at once, so that a Kafka outage cannot
 *                              tie up the server threads and memory the WebSocket side needs
 */
public record IngestConfig(int maxBodyBytes, int maxEvents, Duration ackTimeout, int maxConcurrentRequests) {

    public static final String MAX_BODY_BYTES = "ingest.max.body.bytes";
    public static final String MAX_EVENTS = "ingest.max.events";
    public static final String ACK_TIMEOUT = "ingest.ack.timeout";
    public static final String MAX_CONCURRENT = "ingest.max.concurrent.requests";

    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_EVENTS = 1000;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONCURRENT = 64;

    public IngestConfig {
        if (maxBodyBytes < 1024 || maxBodyBytes > 64 << 20) {
            throw new IllegalArgumentException(MAX_BODY_BYTES + " must be between 1024 and " + (64 << 20) + ", got " + maxBodyBytes);
        }
        if (maxEvents < 1 || maxEvents > 100_000) {
            throw new IllegalArgumentException(MAX_EVENTS + " must be between 1 and 100000, got " + maxEvents);
        }
        Objects.requireNonNull(ackTimeout, ACK_TIMEOUT);
        if (ackTimeout.isNegative() || ackTimeout.isZero() || ackTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(ACK_TIMEOUT + " must be more than zero and at most PT5M, got " + ackTimeout);
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException(MAX_CONCURRENT + " must be at least 1, got " + maxConcurrentRequests);
        }
    }

    /** With the default ack timeout and concurrency. */
    public IngestConfig(final int maxBodyBytes, final int maxEvents) {
        this(maxBodyBytes, maxEvents, DEFAULT_ACK_TIMEOUT, DEFAULT_MAX_CONCURRENT);
    }

    /**
     * Producer settings the ingest needs, to lay over the deployment's Kafka client settings: acks=all and
     * idempotence (no loss, no duplicates from the producer's own retries); {@code delivery.timeout.ms} below
     * the ack timeout, so that the producer has given up on every record before the answer is written and a
     * 503's "unknown" items are not retried behind the client's back; a short {@code max.block.ms}, the only
     * time {@code send} holds a server thread.
     */
    public Map<String, Object> producerSettings() {
        final long ack = ackTimeout.toMillis();
        final long linger = 5;
        final long request = Math.max(1000, Math.min(5000, ack / 2));
        final long delivery = Math.max(request + linger, ack - 1000);
        return Map.of(
                "acks", "all",
                "enable.idempotence", "true",
                "max.in.flight.requests.per.connection", "5",
                "linger.ms", Long.toString(linger),
                "request.timeout.ms", Long.toString(request),
                "delivery.timeout.ms", Long.toString(delivery),
                "max.block.ms", Long.toString(Math.min(5000, Math.max(1000, ack / 2))));
    }

    public static IngestConfig defaults() {
        return new IngestConfig(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS);
    }

    /** Reads the {@code ingest.*} keys; absent or blank keys take their defaults. */
    public static IngestConfig fromProperties(final Map<String, String> properties) {
        return new IngestConfig(
                integer(properties, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                integer(properties, MAX_EVENTS, DEFAULT_MAX_EVENTS),
                duration(properties, ACK_TIMEOUT, DEFAULT_ACK_TIMEOUT),
                integer(properties, MAX_CONCURRENT, DEFAULT_MAX_CONCURRENT));
    }

    private static int integer(final Map<String, String> properties, final String key, final int defaultValue) {
        final String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got: " + value);
        }
    }

    private static Duration duration(final Map<String, String> properties, final String key, final Duration defaultValue) {
        final String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Duration.parse(value.strip());
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10S, got: " + value);
        }
    }
}
