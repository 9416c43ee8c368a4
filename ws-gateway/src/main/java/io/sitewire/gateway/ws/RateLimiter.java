package io.sitewire.gateway.ws;

/**
 * A token bucket for one connection's client frames: {@code ratePerSecond} tokens a second, at most
 * {@code burst} saved up. Not thread-safe (a connection reads one frame at a time).
 */
public final class RateLimiter {

    /** What to do with a frame. */
    public enum Verdict { ACCEPT, REJECT, REJECT_AND_CLOSE }

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;
    private long rejectedInFlood;

    public RateLimiter(final int ratePerSecond, final int burst, final long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /**
     * ACCEPT while tokens last; REJECT when out of tokens (the client gets error rate_limited); once as many
     * frames as the burst size were rejected since the bucket was last full, REJECT_AND_CLOSE (close 4029).
     *
     * <p>A flood ends only when the bucket is full again, not at the next accepted frame: a client sending
     * faster than the rate finds a refilled token every few frames, so counting only unbroken runs of
     * rejections would close a flood only if it outran the refill by the whole burst (burst x rate frames
     * a second) and a client flooding at, say, ten times the rate would never be closed.
     */
    public Verdict onFrame(final long nowNanos) {
        final long elapsed = Math.max(0, nowNanos - last);
        last = nowNanos;
        tokens = Math.min(burst, tokens + elapsed * ratePerNano);
        if (tokens >= burst) {
            rejectedInFlood = 0;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        rejectedInFlood++;
        return rejectedInFlood >= burst ? Verdict.REJECT_AND_CLOSE : Verdict.REJECT;
    }
}
