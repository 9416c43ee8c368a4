package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakReportTest {

    private static SoakReport.Totals totals(final long checked, final long missed, final long repeated, final long reordered) {
        return new SoakReport.Totals(checked, checked, 10, 8, 0, 0, missed, repeated, reordered, 0, 0);
    }

    @Test
    void flatHeapAllConnectionsAccountedAndNothingLostPasses() {
        final SoakReport.Verdict v = SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, 300.0, 320.0);
        assertThat(v.passed()).isTrue();
        assertThat(v.heap()).isTrue();
        assertThat(v.connections()).isTrue();
        assertThat(v.notes()).isEmpty();
    }

    @Test
    void heapGrowthPastTheAllowanceFails() {
        // 10 % of 500 MB is 50 MB: 60 MB more fails; from 100 MB the 32 MB floor applies
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, 500.0, 560.0).heap()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, 500.0, 549.0).heap()).isTrue();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, 100.0, 131.0).heap()).isTrue();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 0, 100.0, 133.0).passed()).isFalse();
    }

    @Test
    void aLeftOverConnectionOrAMissedFrameFails() {
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 20, 1, 300.0, 300.0).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 0), 20, 19, 0, 300.0, 300.0).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 1, 0, 0), 20, 20, 0, 300.0, 300.0).passed()).isFalse();
        assertThat(SoakReport.Verdict.of(totals(1000, 0, 0, 1), 20, 20, 0, 300.0, 300.0).passed()).isFalse();
        // Nothing flowing at all is no pass either
        assertThat(SoakReport.Verdict.of(totals(0, 0, 0, 0), 20, 20, 0, 300.0, 300.0).passed()).isFalse();
    }

    @Test
    void repeatsAreReportedNotFailedAndUnreadableHeapIsNotJudged() {
        final SoakReport.Verdict v = SoakReport.Verdict.of(totals(1000, 0, 3, 0), 20, 20, 0, null, null);
        assertThat(v.passed()).isTrue();
        assertThat(v.heap()).isNull();
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).startsWith("3 frame(s) came twice"))
                .anySatisfy(n -> assertThat(n).contains("heap not judged"));
    }

    @Test
    void writesJsonAndMarkdown(@TempDir final Path dir) throws Exception {
        final SoakReport.Totals t = totals(1000, 0, 0, 0);
        final SoakReport report = new SoakReport(new SoakReport.Settings("5m", 2, "1m", 200, "management:project:demo", "1m"),
                "2026-11-26T02:00:00Z", 5.0, 300.0, 310.0, 120, 121, 2, 2, 0, 1000, t,
                List.of(new SoakReport.Sample(0, 2, 2, 400.0, 120, 0, 2, 0, 0, 0)),
                List.of(new SoakClient.Stats(0, 500, 5, 4, 0, 0, 500, 0, 0, 0, 0, 0)), List.of("Stopped in 3.0 s (5 of 5 parts stopped)."),
                SoakReport.Verdict.of(t, 2, 2, 0, 300.0, 310.0));
        report.write(dir);
        assertThat(Files.readString(dir.resolve("soak.json"))).contains("\"passed\" : true", "\"heapAfterGcStartMb\" : 300.0");
        assertThat(Files.readString(dir.resolve("soak.md"))).contains("**Verdict: PASS**", "| site heap after full GC (MB) | 300.0 | 310.0 | flat / ok |",
                "Stopped in 3.0 s");
    }
}
