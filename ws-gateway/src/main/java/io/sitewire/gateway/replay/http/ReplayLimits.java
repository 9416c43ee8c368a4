package io.sitewire.gateway.replay.http;

import java.time.Duration;

/**
 * Bounds of {@code GET /v1/replay} on one gateway instance.
 *
 * @param maxConcurrent replays streaming at once; one more is answered 429 (each holds a Kafka consumer and a thread)
 * @param maxLimit      most records one response may carry: a query without {@code limit} gets this limit (the
 *                      summary then says {@code limitReached}), a larger {@code limit} is a 400
 * @param idleTimeout   a read that makes no progress for this long ends with {@code "complete":false}
 */
public record ReplayLimits(int maxConcurrent, long maxLimit, Duration idleTimeout) {

    public static final long DEFAULT_MAX_LIMIT = 1_000_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public ReplayLimits {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        if (maxLimit < 1) {
            throw new IllegalArgumentException("maxLimit must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /** {@code maxConcurrent} replays (the gateway uses its {@code replay.concurrency}), default limit and idle timeout. */
    public static ReplayLimits of(final int maxConcurrent) {
        return new ReplayLimits(maxConcurrent, DEFAULT_MAX_LIMIT, DEFAULT_IDLE_TIMEOUT);
    }
}
