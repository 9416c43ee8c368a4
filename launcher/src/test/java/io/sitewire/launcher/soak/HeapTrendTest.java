package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeapTrendTest {

    private static SoakReport.Sample at(final double minute, final Double heapAfterGc) {
        return new SoakReport.Sample(minute, 20, 20, null, heapAfterGc, 150, 0, 0, 0, 0, 0);
    }

    @Test
    void onlySamplesFromTheWarmUpsEndOnCount() {
        // Given a heap that doubles in the first 10 minutes and is flat from minute 10 on
        final List<SoakReport.Sample> samples = new ArrayList<>();
        for (int m = 0; m <= 30; m++) {
            samples.add(at(m, m < 10 ? 100.0 + 10 * m : 200.0));
        }
        // Then its trend from minute 10 is flat, and from minute 0 it is not
        assertThat(HeapTrend.mbPerHour(samples, 10)).isCloseTo(0.0, within(1e-9));
        assertThat(HeapTrend.mbPerHour(samples, 0)).isGreaterThan(100);
    }

    @Test
    void samplesWithoutAHeapAreSkippedAndTooFewGiveNoTrend() {
        final List<SoakReport.Sample> samples = List.of(at(10, 200.0), at(11, null), at(12, 201.0), at(13, 202.0),
                at(14, null), at(15, 203.0));
        assertThat(HeapTrend.mbPerHour(samples, 10)).isNull();
        assertThat(HeapTrend.mbPerHour(List.of(at(10, 200.0), at(11, 201.0), at(12, 202.0), at(13, 203.0), at(14, 204.0)), 10))
                .isCloseTo(60.0, within(1e-9));
    }

    @Test
    void theSlopeOfALinearHeapWithNoiseIsRecoveredOverAnHour() {
        // 200 seeded runs: a 50-minute post-warm-up series rising at a random rate, each reading off by up to +-8 MB
        // (what is in flight at a full GC). The fit must land within 12 MB/h of the true rate, so a flat heap reads
        // as flat (under the 32 MB/h allowed) and a leak of 44 MB/h or more as growing.
        for (long seed = 1; seed <= 200; seed++) {
            final SplittableRandom random = new SplittableRandom(seed);
            final double rate = random.nextDouble(-20, 200);
            final List<SoakReport.Sample> samples = new ArrayList<>();
            for (int m = 10; m <= 60; m++) {
                samples.add(at(m, 150 + rate * m / 60 + random.nextDouble(-8, 8)));
            }
            final double fitted = HeapTrend.mbPerHour(samples, 10);
            assertThat(fitted).as("seed %d, true rate %.1f MB/h", seed, rate).isCloseTo(rate, within(12.0));
        }
    }
}
