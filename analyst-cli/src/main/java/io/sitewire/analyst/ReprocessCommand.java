package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import io.sitewire.schemas.provision.SchemaProvisioner;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.replay.InvalidRangeQueryException;
import io.sitewire.schemas.replay.RangePlan;
import io.sitewire.schemas.replay.RangeQuery;
import io.sitewire.schemas.replay.RangeReader;
import io.sitewire.schemas.replay.RangeSummary;
import io.sitewire.schemas.replay.ReplayException;
import io.sitewire.schemas.replay.ReplayedRecord;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.AlertsTopology;
import io.sitewire.streams.StreamsApp;
import io.sitewire.streams.config.InvalidConfigException;
import io.sitewire.streams.config.StreamsAppConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sitewire-replay reprocess}: what-if analysis. Copies the input topics of a historical time range into a
 * topic set of its own ({@code whatif-<name>.*}), runs the streams app's alert rules over it with overridden limits
 * ({@code --set air.co.ceiling.limit=100}) as application {@code whatif-<name>} until everything copied has been
 * processed, then prints the alerts by type and priority beside the live alerts of the same range, and can export
 * them like {@code export}. Live topics are only read; the what-if topics stay for inspection.
 */
@Command(name = "reprocess", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run the alert rules over a historical range of the input topics, with overridden limits, into a "
                + "separate what-if topic set (whatif-NAME.*); never writes to live topics.",
                "Exit status: 0 done, 3 done but some input records could not be decoded (not copied), 1 failed, 2 bad usage."},
        footer = {"", "Example:",
                "  sitewire-replay reprocess --name co-100 --from 2026-11-25T08:00:00Z --to 2026-11-25T12:00:00Z \\",
                "      --topics sensor-readings --project p1 --set air.co.ceiling.limit=100 --out co-100-alerts.ndjson"})
public final class ReprocessCommand implements Callable<Integer> {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);

    @ParentCommand
    ReplayCli parent;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    QueryOptions query = new QueryOptions();

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Names the run: topics whatif-NAME.*, application.id whatif-NAME (lower-case letters, digits, '-').")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A streams-app setting for this run, e.g. --set air.co.ceiling.limit=100 or "
                    + "--set project.p1.air.co.ceiling.limit=100 (docs/rules.md, docs/rules-air-noise.md). Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--streams-config", paramLabel = "FILE",
            description = "A streams-app properties file (e.g. production's) applied below --set; its application.id, "
                    + "topic.prefix, bootstrap.servers and state.dir are replaced by the what-if run's.")
    Path streamsConfig;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Give up when the rules have not processed the copied range after this long. Default 600.")
    long timeoutSeconds;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ndjson", converter = ExportCommand.FormatConverter.class,
            description = "Format of --out: ndjson (default), csv or avro.")
    ExportFormat format;

    @Option(names = "--out", paramLabel = "FILE", description = "Also export the what-if alerts to FILE (- for standard output).")
    String out;

    @Option(names = "--force", description = "Replace an existing --out file.")
    boolean force;

    @Option(names = "--fail-on-error", description = "Stop at the first input record that cannot be decoded (default: count it, do not copy it).")
    boolean failOnError;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, bar, lines or none (see export).")
    String progress;

    @Override
    public Integer call() {
        final PrintStream err = parent.err();
        final ReplayConfig config;
        final RangeQuery rangeQuery;
        final WhatIfSet set;
        final List<TopicSpec<?>> inputs;
        final ProgressReporter.Mode mode;
        final OutputFiles files;
        final Path stateDir;
        final StreamsAppConfig streams;
        try {
            config = connection.resolve(parent.env());
            final TopicCatalogue source = config.catalogue();
            set = WhatIfSet.of(name, source);
            rangeQuery = inputQuery(source);
            inputs = rangeQuery.resolve(source).topics();
            mode = ProgressReporter.parseMode(progress);
            files = out == null ? null : OutputFiles.plan(out, format, EnumSet.of(EventType.ALERT), force);
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException("--timeout: must be at least 1 second");
            }
            stateDir = Files.createTempDirectory("sitewire-" + set.applicationId() + "-");
            streams = WhatIfStreamsConfig.build(config, set, stateDir, streamsConfig, sets);
        } catch (final ReplayConfig.InvalidConfigException | InvalidConfigException
                | IllegalArgumentException e) {
            err.println("sitewire-replay reprocess: " + (e instanceof InvalidRangeQueryException q ? QueryOptions.asOptions(q).getMessage()
                    : e.getMessage()));
            err.println("(sitewire-replay reprocess --help lists the options)");
            return ReplayCli.EXIT_USAGE;
        } catch (final IOException e) {
            err.println("sitewire-replay reprocess: cannot create a state folder: " + e.getMessage());
            return ReplayCli.EXIT_FAILED;
        }
        try {
            return new Run(config, rangeQuery, set, inputs, mode, files, streams).execute();
        } catch (final ReplayException | IllegalStateException e) {
            err.println("sitewire-replay reprocess: " + e.getMessage());
            return ReplayCli.EXIT_FAILED;
        } catch (final org.apache.kafka.common.KafkaException e) {
            err.println("sitewire-replay reprocess: Kafka at " + config.bootstrapServers() + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return ReplayCli.EXIT_FAILED;
        } catch (final RuntimeException e) {
            err.println("sitewire-replay reprocess: failed: " + e);
            return ReplayCli.EXIT_FAILED;
        } finally {
            deleteQuietly(stateDir);
        }
    }

    /** The query of the inputs to copy: a time range, by default over every input family, filtered by project/zone. */
    private RangeQuery inputQuery(final TopicCatalogue source) {
        final List<String> refused = new ArrayList<>();
        if (!query.offsets.isEmpty()) {
            refused.add("--offsets: reprocess reads a time range (--from, --to): the rules need every input of the range");
        }
        if (!query.types.isEmpty() || !query.priorities.isEmpty()) {
            refused.add("--type/--priority: reprocess copies whole input families; pick them with --topics");
        }
        if (query.limit != null) {
            refused.add("--limit: a cut-off range would make the rules see a partial history");
        }
        if (query.from == null) {
            refused.add("--from: required (the start of the historical range)");
        }
        if (!refused.isEmpty()) {
            throw new InvalidRangeQueryException(refused);
        }
        if (query.topics.isEmpty()) {
            query.topics = new ArrayList<>(WhatIfSet.inputs(source).stream().map(TopicSpec::family).distinct().toList());
        }
        final RangeQuery q = query.toQuery();
        final List<String> derived = q.resolve(source).topics().stream()
                .filter(t -> !WhatIfSet.inputs(source).contains(t)).map(TopicSpec::name).toList();
        if (!derived.isEmpty()) {
            throw new InvalidRangeQueryException("--topics: reprocess copies input topics only ("
                    + String.join(", ", WhatIfSet.inputs(source).stream().map(TopicSpec::family).distinct().toList())
                    + "); " + String.join(", ", derived) + " are written by the rules themselves");
        }
        return q;
    }

    /** One what-if run. */
    private final class Run {
        private final ReplayConfig config;
        private final RangeQuery rangeQuery;
        private final WhatIfSet set;
        private final List<TopicSpec<?>> inputs;
        private final ProgressReporter.Mode mode;
        private final OutputFiles files;
        private final StreamsAppConfig streams;
        private final PrintStream err = parent.err();
        private final SchemaRegistryClient registry;

        Run(final ReplayConfig config, final RangeQuery rangeQuery, final WhatIfSet set, final List<TopicSpec<?>> inputs,
                final ProgressReporter.Mode mode, final OutputFiles files, final StreamsAppConfig streams) {
            this.config = config;
            this.rangeQuery = rangeQuery;
            this.set = set;
            this.inputs = inputs;
            this.mode = mode;
            this.files = files;
            this.streams = streams;
            this.registry = SchemaRegistryClients.newClient(config.registryConfig());
        }

        int execute() {
            try (Admin admin = Admin.create(config.clientConfig())) {
                step(1, "provisioning what-if topics " + set.catalogue().prefix() + ".* and their schemas");
                final short replication = TopicProvisioner.defaultReplicationFactor(admin, ADMIN_TIMEOUT);
                new TopicProvisioner(admin, replication, ADMIN_TIMEOUT).provision(set.catalogue().all());
                new SchemaProvisioner(registry).provision(set.catalogue().all());
                final List<String> used = nonEmpty(admin, WhatIfSet.inputs(set.catalogue()));
                if (!used.isEmpty()) {
                    err.println("sitewire-replay reprocess: the what-if set " + set.applicationId() + " already holds input "
                            + "records (" + String.join(", ", used) + ") from an earlier run; choose another --name");
                    return ReplayCli.EXIT_FAILED;
                }

                step(2, "copying " + config.topicPrefix() + " inputs of " + rangeQuery.describe());
                final RangeSummary copy = copy();
                if (copy.matched() == 0) {
                    err.println("Nothing in the range to reprocess.");
                    return copy.failedDecodes() > 0 ? ReplayCli.EXIT_DECODE_FAILURES : ReplayCli.EXIT_OK;
                }

                step(3, "running the alert rules as " + set.applicationId() + (sets.isEmpty() ? " (no overrides)"
                        : " with " + String.join(", ", sets)));
                if (!process(admin)) {
                    return ReplayCli.EXIT_FAILED;
                }

                step(4, "reading the what-if alerts and the live alerts of the same range");
                final int exported = report();
                if (exported != ReplayCli.EXIT_OK) {
                    return exported;
                }
                err.println("What-if topics kept for inspection: " + set.catalogue().prefix() + ".* (read them with "
                        + "--topic-prefix " + set.catalogue().prefix() + ")");
                return copy.failedDecodes() > 0 ? ReplayCli.EXIT_DECODE_FAILURES : ReplayCli.EXIT_OK;
            }
        }

        private RangeSummary copy() {
            final ProgressReporter reporter = new ProgressReporter(err, mode, Duration.ofSeconds(5), null);
            final RangeReader.Options options = RangeReader.Options.defaults().withFailOnError(failOnError).withListener(reporter);
            try (RangeReader reader = new RangeReader(config.clientConfig(), registry, config.catalogue(), options);
                 WhatIfCopier copier = new WhatIfCopier(config.clientConfig(), registry, config.catalogue(), set)) {
                final RangePlan plan = reader.plan(rangeQuery);
                err.printf(Locale.ROOT, "  %d input topic%s, up to %,d records%n", plan.topics().size(),
                        plan.topics().size() == 1 ? "" : "s", plan.estimatedRecords());
                final RangeSummary summary = reader.read(plan, copier);
                copier.flush();
                reporter.close();
                SummaryPrinter.print(err, "  Copied", summary, copier.copied());
                return summary;
            }
        }

        /** Runs the app until its group has processed everything copied; false (with the reason printed) if not. */
        private boolean process(final Admin admin) {
            final Topology topology = AlertsTopology.build(streams, registry);
            final long start = System.nanoTime();
            final long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
            long lastLine = start;
            try (StreamsApp app = new StreamsApp(streams, registry)) {
                app.start();
                // Streams creates its repartition topics while starting: look them up once it runs.
                StreamsCompletion completion = null;
                long remaining = -1;
                int doneChecks = 0;
                while (doneChecks < 2) {
                    if (app.failure() != null) {
                        err.println("sitewire-replay reprocess: the rules failed: " + app.failure());
                        return false;
                    }
                    if (System.nanoTime() > deadline) {
                        err.println("sitewire-replay reprocess: the rules had not processed the copied range after "
                                + timeoutSeconds + " s (" + (remaining < 0 ? "not running yet" : remaining + " offsets left")
                                + "); the what-if topics are kept, raise --timeout or look at the broker");
                        return false;
                    }
                    if (completion == null && app.running()) {
                        completion = StreamsCompletion.of(admin, set.applicationId(), topology, set.catalogue(), ADMIN_TIMEOUT);
                    }
                    remaining = completion != null && app.running() ? completion.remaining(ADMIN_TIMEOUT) : -1;
                    doneChecks = remaining == 0 ? doneChecks + 1 : 0;
                    if (System.nanoTime() - lastLine > Duration.ofSeconds(5).toNanos()) {
                        lastLine = System.nanoTime();
                        err.println(remaining < 0 ? "  starting the rules ..." : String.format(Locale.ROOT,
                                "  processing: %,d offsets left", remaining));
                    }
                    sleep();
                }
            }
            err.printf(Locale.ROOT, "  processed in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return true;
        }

        private int report() {
            final AlertTally whatIf = new AlertTally();
            final AlertTally live = new AlertTally();
            final RangeQuery allAlerts = RangeQuery.builder().topics("alerts").build();
            ExportSink sink = null;
            try {
                if (files != null) {
                    sink = ExportSink.open(format, files, EnumSet.of(EventType.ALERT), allAlerts,
                            new ExportSink.ExportOptions(true, "deflate"), parent.out());
                }
                final ExportSink export = sink;
                final RangeSummary whatIfSummary;
                try (RangeReader reader = new RangeReader(config.clientConfig(), registry, set.catalogue())) {
                    whatIfSummary = reader.read(allAlerts, r -> {
                        whatIf.accept(r);
                        if (export != null) {
                            export.accept(r);
                        }
                    });
                }
                final RangeQuery liveAlerts = RangeQuery.builder().topics("alerts").from(rangeQuery.from().orElseThrow())
                        .to(rangeQuery.to().orElse(null)).projects(rangeQuery.projects()).zones(rangeQuery.zones()).build();
                try (RangeReader reader = new RangeReader(config.clientConfig(), registry, config.catalogue())) {
                    reader.read(liveAlerts, live);
                }
                if (sink != null) {
                    sink.finish();
                    files.commit();
                }
                err.printf(Locale.ROOT, "What-if alerts (%s), beside the live alerts of %s:%n", set.catalogue().prefix(),
                        liveAlerts.describe());
                AlertTally.print(err, whatIf, live);
                if (sink != null) {
                    sink.counts().forEach((file, count) -> err.printf(Locale.ROOT, "  written: %s  %,d alerts%n", file, count));
                }
                if (whatIfSummary.failedDecodes() > 0) {
                    err.println("  " + whatIfSummary.failedDecodes() + " what-if alert records could not be decoded");
                }
                return ReplayCli.EXIT_OK;
            } catch (final IOException | RuntimeException e) {
                if (sink != null) {
                    sink.abandon();
                }
                err.println("sitewire-replay reprocess: reading the alerts failed: " + e.getMessage());
                return ReplayCli.EXIT_FAILED;
            }
        }

        private List<String> nonEmpty(final Admin admin, final List<TopicSpec<?>> topics) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (final TopicSpec<?> topic : topics) {
                for (int p = 0; p < topic.partitions(); p++) {
                    latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                }
            }
            try {
                return admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .entrySet().stream().filter(e -> e.getValue().offset() > 0).map(e -> e.getKey().topic())
                        .distinct().sorted().toList();
            } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("cannot read the what-if topics' offsets: " + e, e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private void step(final int n, final String what) {
            err.printf(Locale.ROOT, "[%d/4] %s%n", n, what);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteQuietly(final Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException e) {
                    // a leftover temp folder is harmless
                }
            });
        } catch (final IOException e) {
            // idem
        }
    }
}
