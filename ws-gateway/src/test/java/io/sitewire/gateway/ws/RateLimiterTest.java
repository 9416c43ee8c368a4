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

    @Test
    void aFloodAtTenTimesTheRateEndsInCloseEvenThoughEveryTenthFrameFindsAToken() {
        // Given the integration tests' 200 frames/s with a burst of 200
        final RateLimiter limiter = new RateLimiter(200, 200, 0);
        // When a client sends 2,000 frames/s (one every 0.5 ms), so a token refills between every ten frames
        RateLimiter.Verdict last = null;
        int frames = 0;
        while (last != RateLimiter.Verdict.REJECT_AND_CLOSE && frames < 10_000) {
            last = limiter.onFrame(frames * SECOND / 2_000);
            frames++;
        }
        // Then it is closed once 200 of its frames were refused (about 222 to drain the burst, then 9 of every 10)
        assertThat(last).isEqualTo(RateLimiter.Verdict.REJECT_AND_CLOSE);
        assertThat(frames).isBetween(400, 500);
    }

    @Test
    void aClientThatPausesUntilItsBucketIsFullStartsAFreshFloodCount() {
        // Given 10 frames/s with a burst of 5, and a burst plus 4 refused frames at t=0
        final RateLimiter limiter = new RateLimiter(10, 5, 0);
        for (int i = 0; i < 9; i++) {
            assertThat(limiter.onFrame(0)).isNotEqualTo(RateLimiter.Verdict.REJECT_AND_CLOSE);
        }
        // When it then waits until its bucket is full again (0.5 s) and floods once more
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.onFrame(SECOND / 2)).isEqualTo(RateLimiter.Verdict.ACCEPT);
        }
        // Then it again gets 5 refusals before the close
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.onFrame(SECOND / 2)).isEqualTo(RateLimiter.Verdict.REJECT);
        }
        assertThat(limiter.onFrame(SECOND / 2)).isEqualTo(RateLimiter.Verdict.REJECT_AND_CLOSE);
    }
}
