package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.replay.InvalidRangeQueryException;
import io.sitewire.schemas.replay.RangePlan;
import io.sitewire.schemas.replay.RangeQuery;
import io.sitewire.schemas.replay.RangeReader;
import io.sitewire.schemas.replay.RangeSummary;
import io.sitewire.schemas.replay.ReplayAbortedException;
import io.sitewire.schemas.replay.ReplayException;
import io.sitewire.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sitewire-replay export}: a time or offset range of topics, decoded, filtered, to NDJSON, CSV or Avro files.
 * Reads without a consumer group and commits nothing, so it can run against live topics at any time.
 */
@Command(name = "export", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Export a time range or offset ranges of Sitewire topics, decoded through the schema registry and "
                + "filtered, to NDJSON, CSV or Avro files.",
                "Progress and the summary go to standard error. Exit status: 0 done, 3 done but some records could not be "
                        + "decoded, 1 failed or stopped, 2 bad usage."},
        footer = {"", "Examples:",
                "  sitewire-replay export --topics alerts,sensor-readings --from 2026-11-25T08:00:00Z --to 2026-11-25T12:00:00Z \\",
                "      --project p1 --priority EMERGENCY,URGENT --format ndjson --out incident.ndjson",
                "  sitewire-replay export --offsets sensor-readings:3:1000-1999 --format csv --out readings.csv",
                "  sitewire-replay export --topics alerts --from 2026-11-25 --type alert --zone basement --format avro --out alerts.avro"})
public final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    ReplayCli parent;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    QueryOptions query = new QueryOptions();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ndjson", converter = FormatConverter.class,
            description = "ndjson (default; all types in one file), csv or avro (one file per record type when the topics "
                    + "hold several: OUT's name + .<type>).")
    ExportFormat format;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "Output file; - for standard output (NDJSON, or a single record type).")
    String out;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @Option(names = "--fail-on-error", description = "Stop at the first record that cannot be decoded (default: count and report it, go on).")
    boolean failOnError;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar when standard error is a terminal, else a line every 5 s), bar, lines or none.")
    String progress;

    @Option(names = "--failures-out", paramLabel = "FILE", description = "Write every decode failure (one line each) to FILE.")
    Path failuresOut;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the summary as JSON ({\"summary\":{...}}) to FILE.")
    Path summaryJson;

    @Option(names = "--no-formula-guard", negatable = false,
            description = "CSV: leave text cells starting with = + - @ as they are (default: prefix them with ' so a "
                    + "spreadsheet does not run them as formulas).")
    boolean noFormulaGuard;

    @Option(names = "--avro-codec", paramLabel = "CODEC", defaultValue = "deflate",
            description = "Avro: block compression, null, deflate (default), snappy, zstandard, bzip2 or xz.")
    String avroCodec;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Stop when nothing was read for this long (a partition without a leader). Default 60.")
    long idleTimeoutSeconds;

    @Override
    public Integer call() {
        final Run run;
        try {
            run = prepare();
        } catch (final UsageException e) {
            parent.err().println("sitewire-replay export: " + e.getMessage());
            parent.err().println("(sitewire-replay export --help lists the options)");
            return ReplayCli.EXIT_USAGE;
        }
        return run.execute();
    }

    private Run prepare() {
        final ReplayConfig config;
        final RangeQuery rangeQuery;
        try {
            config = connection.resolve(parent.env());
        } catch (final ReplayConfig.InvalidConfigException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            rangeQuery = query.toQuery();
        } catch (final InvalidRangeQueryException e) {
            throw new UsageException(e.getMessage());
        }
        final ProgressReporter.Mode mode;
        try {
            mode = ProgressReporter.parseMode(progress);
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (idleTimeoutSeconds < 1) {
            throw new UsageException("--idle-timeout: must be at least 1 second");
        }
        if (format == ExportFormat.AVRO) {
            try {
                org.apache.avro.file.CodecFactory.fromString(avroCodec);
            } catch (final RuntimeException e) {
                throw new UsageException("--avro-codec: '" + avroCodec + "' is not null, deflate, snappy, zstandard, bzip2 or xz");
            }
        }
        return new Run(config, rangeQuery, mode);
    }

    /** One export, from plan to summary. */
    private final class Run {
        private final ReplayConfig config;
        private final RangeQuery rangeQuery;
        private final ProgressReporter.Mode mode;

        Run(final ReplayConfig config, final RangeQuery rangeQuery, final ProgressReporter.Mode mode) {
            this.config = config;
            this.rangeQuery = rangeQuery;
            this.mode = mode;
        }

        int execute() {
            final var err = parent.err();
            final SchemaRegistryClient registry = SchemaRegistryClients.newClient(config.registryConfig());
            final Writer failures;
            try {
                failures = failuresOut == null ? null : Files.newBufferedWriter(failuresOut, StandardCharsets.UTF_8);
            } catch (final IOException e) {
                err.println("sitewire-replay export: --failures-out " + failuresOut + ": " + e.getMessage());
                return ReplayCli.EXIT_USAGE;
            }
            final ProgressReporter reporter = new ProgressReporter(err, mode, Duration.ofSeconds(5), failures);
            final RangeReader.Options options = RangeReader.Options.defaults().withFailOnError(failOnError)
                    .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds)).withListener(reporter);
            try (reporter; RangeReader reader = new RangeReader(config.clientConfig(), registry, config.catalogue(), options)) {
                final RangePlan plan;
                try {
                    plan = reader.plan(rangeQuery);
                } catch (final InvalidRangeQueryException e) {
                    err.println("sitewire-replay export: " + QueryOptions.asOptions(e).getMessage());
                    return ReplayCli.EXIT_USAGE;
                }
                final Set<EventType> types = EnumSet.noneOf(EventType.class);
                plan.topics().forEach(t -> types.add(EventType.of(t.valueType())));
                final OutputFiles files;
                try {
                    files = OutputFiles.plan(out, format, types, force);
                } catch (final IllegalArgumentException e) {
                    err.println("sitewire-replay export: " + e.getMessage());
                    return ReplayCli.EXIT_USAGE;
                }
                err.printf(Locale.ROOT, "Reading %d topic%s (%s), %d partition%s with data, up to %,d records%n",
                        plan.topics().size(), plan.topics().size() == 1 ? "" : "s",
                        String.join(", ", plan.topics().stream().map(TopicSpec::name).toList()),
                        plan.partitions().size(), plan.partitions().size() == 1 ? "" : "s", plan.estimatedRecords());
                plan.notes().forEach(n -> err.println("  note: " + n));
                final ExportSink sink;
                try {
                    sink = ExportSink.open(format, files, types, rangeQuery,
                            new ExportSink.ExportOptions(!noFormulaGuard, avroCodec), parent.out());
                } catch (final IOException e) {
                    err.println("sitewire-replay export: cannot create the output: " + e);
                    return ReplayCli.EXIT_FAILED;
                }
                final RangeSummary summary;
                try {
                    summary = reader.read(plan, sink);
                    sink.finish();
                    files.commit();
                } catch (final ReplayAbortedException e) {
                    sink.abandon();
                    reporter.close();
                    err.println("sitewire-replay export: stopped: " + e.getMessage());
                    SummaryPrinter.print(err, "Exported (incomplete)", e.summary(), sink.counts());
                    reportPartial(files);
                    writeSummaryJson(e.summary(), e.getMessage());
                    return ReplayCli.EXIT_FAILED;
                } catch (final IOException | RuntimeException e) {
                    sink.abandon();
                    reporter.close();
                    err.println("sitewire-replay export: failed: " + e);
                    reportPartial(files);
                    return ReplayCli.EXIT_FAILED;
                }
                reporter.close();
                SummaryPrinter.print(err, "Exported", summary, sink.counts());
                writeSummaryJson(summary, null);
                return summary.failedDecodes() > 0 ? ReplayCli.EXIT_DECODE_FAILURES : ReplayCli.EXIT_OK;
            } catch (final ReplayException e) {
                reporter.close();
                err.println("sitewire-replay export: " + e.getMessage());
                return ReplayCli.EXIT_FAILED;
            } catch (final org.apache.kafka.common.KafkaException e) {
                reporter.close();
                err.println("sitewire-replay export: Kafka at " + config.bootstrapServers() + ": " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                return ReplayCli.EXIT_FAILED;
            }
        }

        private void reportPartial(final OutputFiles files) {
            for (final Path partial : files.partialPaths()) {
                parent.err().println("  left incomplete: " + partial);
            }
        }

        private void writeSummaryJson(final RangeSummary summary, final String error) {
            if (summaryJson == null) {
                return;
            }
            try {
                Files.writeString(summaryJson, summary.toJson(error) + "\n", StandardCharsets.UTF_8);
            } catch (final IOException e) {
                parent.err().println("sitewire-replay export: --summary-json " + summaryJson + ": " + e.getMessage());
            }
        }
    }

    /** A mistake in the command line or settings: printed with a pointer to --help, exit 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(final String message) {
            super(message);
        }
    }

    /** {@code --format} in any case. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(final String value) {
            try {
                return ExportFormat.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not ndjson, csv or avro");
            }
        }
    }
}
