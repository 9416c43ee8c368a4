package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakReportTest {

    private static SoakReport.Totals totals(final long checked, final long missed, final long repeated, final long reordered) {
        return new SoakReport.Totals(checked, checked, 10, 8, 0, 0, missed, repeated, reordered, 0, 0, 0);
    }

    private static SoakReport.Sample sample(final double minute, final Double heapAfterGc) {
        return new SoakReport.Sample(minute, 20, 20, heapAfterGc == null ? null : heapAfterGc + 100, heapAfterGc, 150,
                0, 20, 0, 0, 0);
    }

    /** Samples every minute from 0 to {@code minutes}, the heap after GC rising from {@code from} by {@code perHour}. */
    private static List<SoakReport.Sample> samples(final int minutes, final double from, final double perHour) {
        final List<SoakReport.Sample> samples = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            samples.add(sample(m, from + perHour * m / 60));
        }
        return samples;
    }

    /** A 60-minute soak with a 10-minute warm-up: baseline at minute 10, end as given. */
    private static SoakReport.Heap heap(final double baseline, final double end) {
        return SoakReport.Heap.of(baseline - 40, 10, samples(60, baseline, 0), end);
    }

    private static SoakReport.Verdict verdict(final SoakReport.Heap heap) {
        return SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, heap);
    }

    @Test
    void flatHeapAllConnectionsAccountedAndNothingLostPasses() {
        final SoakReport.Verdict v = SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, heap(300.0, 320.0));
        assertThat(v.passed()).isTrue();
        assertThat(v.heap()).isTrue();
        assertThat(v.connections()).isTrue();
        assertThat(v.notes()).isEmpty();
    }

    @Test
    void recordsCompactedAwayBeforeAResumeAreReportedNotFailed() {
        // Given 43 records of a state topic that the log cleaner removed before a client's resume read them, none missed
        final SoakReport.Totals totals = new SoakReport.Totals(1000, 1000, 10, 8, 0, 0, 0, 0, 0, 0, 0, 43);

        // When judged
        final SoakReport.Verdict v = SoakReport.Verdict.of(totals, 20, 20, 0, heap(300.0, 320.0));

        // Then delivery passes and a note says what they were
        assertThat(v.delivery()).isTrue();
        assertThat(v.notes()).singleElement().asString().startsWith("43 record(s) of compacted state topics");
    }

    @Test
    void heapGrowthPastTheAllowanceFails() {
        // 10 % of 500 MB is 50 MB: 60 MB more fails; from 100 MB the 32 MB floor applies
        assertThat(verdict(heap(500.0, 560.0)).heap()).isFalse();
        assertThat(verdict(heap(500.0, 549.0)).heap()).isTrue();
        assertThat(verdict(heap(100.0, 131.0)).heap()).isTrue();
        assertThat(verdict(heap(100.0, 133.0)).passed()).isFalse();
    }

    @Test
    void theBaselineIsTheFirstSampleAfterTheWarmUpSoFillingDuringItIsNotGrowth() {
        // Given a heap that fills from 100 to 190 MB in the first 10 minutes, then stays flat
        final List<SoakReport.Sample> samples = new ArrayList<>();
        for (int m = 0; m <= 60; m++) {
            samples.add(sample(m, m < 10 ? 100.0 + 9 * m : 190.0));
        }
        // When judged with a 10-minute warm-up
        final SoakReport.Heap heap = SoakReport.Heap.of(100.0, 10, samples, 195.0);
        // Then the baseline is minute 10's, and the heap is flat
        assertThat(heap.baselineMb()).isEqualTo(190.0);
        assertThat(heap.trendMbPerHour()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(verdict(heap).heap()).isTrue();
        // And without a warm-up the same run fails: the filling counts as growth
        assertThat(verdict(SoakReport.Heap.of(100.0, 0, samples, 195.0)).heap()).isFalse();
    }

    @Test
    void aHeapStillGrowingAfterTheWarmUpFailsOnItsTrendEvenWithinTheAllowance() {
        // Given 36 MB/h after a 10-minute warm-up: +30 MB by the end, under the 32 MB allowance
        final List<SoakReport.Sample> samples = samples(60, 200.0, 36);
        final SoakReport.Heap heap = SoakReport.Heap.of(150.0, 10, samples, samples.get(60).heapAfterGcMb());
        // Then the trend fails it
        assertThat(heap.growthOk()).isTrue();
        assertThat(heap.trendMbPerHour()).isCloseTo(36.0, org.assertj.core.data.Offset.offset(0.01));
        final SoakReport.Verdict v = verdict(heap);
        assertThat(v.heap()).isFalse();
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("still grows by 36.0 MB/h"));
    }

    @Test
    void tooFewSamplesAfterTheWarmUpLeaveTheTrendUnjudgedButTheGrowthJudged() {
        final List<SoakReport.Sample> samples = samples(5, 200.0, 0);
        final SoakReport.Heap heap = SoakReport.Heap.of(150.0, 2.5, samples, 260.0);
        assertThat(heap.trendMbPerHour()).isNull();
        final SoakReport.Verdict v = verdict(heap);
        assertThat(v.heap()).isFalse();
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("trend is not judged"));
    }

    @Test
    void aLeftOverConnectionOrAMissedFrameFails() {
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 1, heap(300.0, 300.0)).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 19, 0, heap(300.0, 300.0)).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 1, 0, 0), 20, 20, 0, heap(300.0, 300.0)).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 1), 20, 20, 0, heap(300.0, 300.0)).passed()).isFalse();
        // Nothing flowing at all is no pass either
        assertThat(SoakReport.Verdict.of(totals(0, 0, 0, 0), 20, 20, 0, heap(300.0, 300.0)).passed()).isFalse();
    }

    @Test
    void repeatsAreReportedNotFailedAndUnreadableHeapIsNotJudged() {
        final List<SoakReport.Sample> blind = new ArrayList<>();
        for (int m = 0; m <= 60; m++) {
            blind.add(sample(m, null));
        }
        final SoakReport.Verdict v = SoakReport.Verdict.of(totals(1000, 0, 3, 0), 20, 20, 0,
                SoakReport.Heap.of(null, 10, blind, null));
        assertThat(v.passed()).isTrue();
        assertThat(v.heap()).isNull();
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).startsWith("3 frame(s) came twice"))
                .anySatisfy(n -> assertThat(n).contains("heap not judged"));
    }

    @Test
    void writesJsonAndMarkdown(@TempDir final Path dir) throws Exception {
        final SoakReport.Totals t = totals(1000, 0, 0, 0);
        final SoakReport.Heap heap = heap(300.0, 310.0);
        final SoakReport report = new SoakReport(new SoakReport.Settings("60m", 2, "1m", 200, "management:project:demo", "1m", "10m", 256),
                "2026-11-26T02:00:00Z", 60.0, heap, 120, 121, 2, 2, 0, 1000, t,
                List.of(sample(0, 260.0)),
                List.of(new SoakClient.Stats(0, 500, 5, 4, 0, 0, 500, 0, 0, 0, 0, 0, 0)), List.of("Stopped in 3.0 s (5 of 5 parts stopped)."),
                SoakReport.Verdict.of(t, 2, 2, 0, heap));
        report.write(dir);
        assertThat(Files.readString(dir.resolve("soak.json"))).contains("\"passed\" : true", "\"baselineMb\" : 300.0",
                "\"trendMbPerHour\" : 0.0");
        assertThat(Files.readString(dir.resolve("soak.md"))).contains("**Verdict: PASS**",
                "| site heap after full GC (MB): after the warm-up (at the start 260.0) | 300.0 | 310.0 | flat / ok |",
                "| site heap trend after the warm-up (MB/h) | | 0.0 | flat / ok |", "Stopped in 3.0 s");
    }
}
