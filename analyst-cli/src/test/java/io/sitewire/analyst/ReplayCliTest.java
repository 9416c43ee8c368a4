package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line mistakes are caught before any connection, with exit status 2 and what to fix. */
class ReplayCliTest {

    @Test
    void badQueryOptionsAreAllReportedByOptionName() {
        final Result r = run("export", "--topics", "alerts", "--from", "2026-11-25T08:00:00", "--to", "soon",
                "--priority", "critical", "--out", "x.ndjson");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("--from: '2026-11-25T08:00:00' has no time zone; add one (2026-11-25T08:00:00Z for UTC, or +01:00)")
                .contains("--to: 'soon' is not epoch milliseconds")
                .contains("--priority: 'critical' is not a priority")
                .contains("sitewire-replay export --help lists the options");
    }

    @Test
    void offsetsAndTimeRangeExcludeEachOther() {
        final Result r = run("export", "--offsets", "sensor-readings:0:0-9", "--from", "2026-11-25", "--out", "x.ndjson");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("--from/--to: a time range and offset ranges cannot be combined");
    }

    @Test
    void badSettingsNameTheirOrigin() {
        final Result r = run(Map.of("SITEWIRE_BOOTSTRAP_SERVERS", "nohost"), "export", "--topics", "alerts", "--out", "x.ndjson",
                "-X", "oops");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("-X oops: expected KEY=VALUE");
        final Result env = run(Map.of("SITEWIRE_BOOTSTRAP_SERVERS", "nohost"), "export", "--topics", "alerts", "--out", "x.ndjson");
        assertThat(env.err).contains("bootstrap.servers = 'nohost': must be host:port[,host:port...] (from environment)");
    }

    @Test
    void missingOutAndUnknownFormatArePicocliUsageErrors() {
        assertThat(run("export", "--topics", "alerts").code).isEqualTo(ReplayCli.EXIT_USAGE);
        final Result r = run("export", "--topics", "alerts", "--out", "x", "--format", "parquet");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("'parquet' is not ndjson, csv or avro");
    }

    @Test
    void reprocessRefusesToWriteWhereItReads() {
        // Given the source topics are themselves the what-if set 'same'
        final Result r = run("reprocess", "--topic-prefix", "whatif-same", "--name", "same", "--from", "2026-11-25T08:00:00Z");
        // Then nothing is started: the what-if prefix would be the source prefix
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("--name same: the what-if prefix 'whatif-same' is the prefix of the source topics");
    }

    @Test
    void reprocessNeedsATimeRangeOfInputTopics() {
        final Result r = run("reprocess", "--name", "x", "--offsets", "sensor-readings:0:0-9", "--type", "alert", "--limit", "5");
        assertThat(r.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(r.err).contains("--offsets: reprocess reads a time range").contains("--type/--priority: reprocess copies whole")
                .contains("--limit: a cut-off range").contains("--from: required");
        final Result derived = run("reprocess", "--name", "x", "--from", "2026-11-25", "--topics", "sensor-readings,alerts");
        assertThat(derived.code).isEqualTo(ReplayCli.EXIT_USAGE);
        assertThat(derived.err).contains("--topics: reprocess copies input topics only").contains("sitewire.alerts.emergency");
    }

    @Test
    void helpListsTheSubcommands() {
        final Result r = run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("export").contains("reprocess");
    }

    private static Result run(final String... args) {
        return run(Map.of(), args);
    }

    private static Result run(final Map<String, String> env, final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = ReplayCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }
}
