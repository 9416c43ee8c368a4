package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.schemas.replay.ReplayProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void barAndLineShowFractionCountsPaceAndEta() {
        // 1,000 of 4,000 offsets in 2 s: 500 rec/s, 3,000 left = 6 s
        final ReplayProgress p = new ReplayProgress(1_000, 4_000, 1_000, 12, 1, Duration.ofSeconds(2));
        assertThat(ProgressReporter.bar(p, 8)).isEqualTo("[##------]  25%  1,000 read  12 matched  1 failed  500 rec/s  ETA 0:06");
        assertThat(ProgressReporter.line(p)).isEqualTo(
                "progress 25% (1,000 of 4,000 offsets): 1,000 read, 12 matched, 1 failed, 500 rec/s, ETA 0:06");
        assertThat(ProgressReporter.eta(new ReplayProgress(1, 7_201, 1, 0, 0, Duration.ofSeconds(1)))).isEqualTo("2:00:00");
        assertThat(ProgressReporter.eta(new ReplayProgress(0, 10, 0, 0, 0, Duration.ZERO))).isEqualTo("?");
    }

    @Test
    void failuresArePrintedUpToALimitAndAllWrittenToTheFailuresFile() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final StringWriter file = new StringWriter();
        try (ProgressReporter reporter = new ProgressReporter(new PrintStream(err, true, StandardCharsets.UTF_8),
                ProgressReporter.Mode.NONE, Duration.ofSeconds(5), file)) {
            for (int i = 0; i < ProgressReporter.MAX_PRINTED_FAILURES + 5; i++) {
                reporter.onDecodeFailure("Cannot decode value at topic 't' partition 0 offset " + i + ": bad");
            }
        }
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(l -> l.startsWith("WARN  Cannot decode"))).hasSize(ProgressReporter.MAX_PRINTED_FAILURES);
        assertThat(printed).contains("WARN  further records that cannot be decoded are counted, not printed");
        assertThat(file.toString().lines()).hasSize(ProgressReporter.MAX_PRINTED_FAILURES + 5);
    }
}
