package io.sitewire.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenFramesAreRefusedThenTheBucketRefills() {
        // Given 10 frames/s with a burst of 5, at t=0
        final RateLimiter limiter = new RateLimiter(10, 5, 0);
        // When 5 frames arrive at once, all pass; the sixth is refused
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.onFrame(0)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        }
        assertThat(limiter.onFrame(0)).isEqualTo(RateLimiter.Verdict.REJECT);
        // Then 100 ms later one token is back
        assertThat(limiter.onFrame(SECOND / 10)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        assertThat(limiter.onFrame(SECOND / 10)).isEqualTo(RateLimiter.Verdict.REJECT);
    }

    @Test
    void aSustainedFloodEndsInClose() {
        final RateLimiter limiter = new RateLimiter(10, 5, 0);
        RateLimiter.Verdict last = null;
        int frames = 0;
        while (last != RateLimiter.Verdict.REJECT_AND_CLOSE && frames < 100) {
            last = limiter.onFrame(frames * 1_000L); // 1,000,000 frames/s
            frames++;
        }
        assertThat(last).isEqualTo(RateLimiter.Verdict.REJECT_AND_CLOSE);
        assertThat(frames).isEqualTo(10); // 5 accepted + 5 refused
    }

    @Test
    void aPoliteClientIsNeverRefused() {
        final RateLimiter limiter = new RateLimiter(10, 5, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.onFrame(i * SECOND / 10)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        }
    }
}
