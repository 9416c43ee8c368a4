package io.sitewire.simulator;

import io.sitewire.schemas.KafkaClientEnvironment;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator's command line: {@code SimulatorMain --bootstrap-servers HOST:PORT --registry-url URL [options]}, or
 * {@code --ingest-url http://gateway/v1/events --token JWT}, or {@code --output -} for NDJSON on stdout. Ctrl-C stops
 * it cleanly (in-flight events are flushed, a summary is printed). Exit code 0 when every event was delivered, 1 when
 * some failed, 2 on a bad command line.
 */
@Command(name = "sitewire-simulator", mixinStandardHelpOptions = true, version = "Sitewire simulator 0.1.0",
        sortOptions = false, usageHelpWidth = 120,
        description = {"Simulates construction sites (crews, machines, gas/dust/noise sensors, scripted incidents) and "
                + "produces their events to Kafka or through the gateway's HTTP ingest. Also a load generator (--rate).",
                "KAFKA_* environment variables pass through to the producer (KAFKA_SECURITY_PROTOCOL=SASL_SSL -> "
                        + "security.protocol=SASL_SSL), as do -P key=value options."},
        footer = {"", "Incidents: crane-walk, co-buildup, fall, missing-worker, evacuation; written kind@offset[:project], "
                + "offset in sim time after the start.",
                "Default scenario: crane-walk@60s co-buildup@120s fall@240s missing-worker@300s evacuation@420s.",
                "", "Examples:",
                "  --bootstrap-servers 127.0.0.1:9092 --registry-url http://127.0.0.1:8081/apis/ccompat/v7 --duration 10m",
                "  --bootstrap-servers ... --registry-url ... --rate 5000 --start-in-shift 5m --no-incidents --duration 60s",
                "  --ingest-url http://127.0.0.1:8080/v1/events --token $DEVICE_JWT --speed 10",
                "  --output - --workers 5 --duration 30s --speed 20"})
public final class SimulatorMain implements Callable<Integer> {

    static {
        // Quiet client logging unless the user configures logback; set before any logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sitewire-simulator-logback.xml");
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Where events go (one of):%n")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false, multiplicity = "1")
        KafkaTarget kafka;
        @ArgGroup(exclusive = false, multiplicity = "1")
        IngestTarget ingest;
        @Option(names = "--output", paramLabel = "FILE|-", description = "write NDJSON events to a file, or - for stdout")
        String output;
    }

    static final class KafkaTarget {
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
        String bootstrapServers;
        @Option(names = "--registry-url", required = true,
                description = "Confluent-compatible schema registry, e.g. http://127.0.0.1:8081/apis/ccompat/v7")
        String registryUrl;
    }

    static final class IngestTarget {
        @Option(names = "--ingest-url", required = true, description = "the gateway's ingest, http://HOST:PORT/v1/events")
        String url;
        @Option(names = "--token", defaultValue = "${env:SITEWIRE_INGEST_TOKEN}",
                description = "device JWT (role device); default: env SITEWIRE_INGEST_TOKEN")
        String token;
    }

    @Option(names = "--topic-prefix", defaultValue = TopicCatalogue.LIVE_PREFIX, description = "topic catalogue prefix (default: ${DEFAULT-VALUE})")
    String topicPrefix;

    @Option(names = "--projects", split = ",", defaultValue = "demo", description = "project ids, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> projects;

    @Option(names = "--origin", defaultValue = "51.5072,-0.1276", paramLabel = "LAT,LNG", description = "centre of the first site (default: ${DEFAULT-VALUE})")
    String origin;

    @Option(names = "--site-size", defaultValue = "400x300", paramLabel = "WxD", description = "site size in metres, east-west x north-south (default: ${DEFAULT-VALUE})")
    String siteSize;

    @Option(names = "--workers", defaultValue = "200", description = "workers per project (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--machines", defaultValue = "8", description = "machines per project (default: ${DEFAULT-VALUE})")
    int machines;

    @Option(names = "--sensors", defaultValue = "40", description = "fixed sensor devices per project (default: ${DEFAULT-VALUE})")
    int sensors;

    @Option(names = "--speed", defaultValue = "1.0", description = "sim seconds per wall second (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS/S",
            description = "load generator: wanted events per wall second with everyone on site; sets the position rate")
    double rate;

    @Option(names = "--positions-per-second", defaultValue = "1.0", description = "position fixes per worker per sim second (default: ${DEFAULT-VALUE})")
    double positionsPerSecond;

    @Option(names = "--sensor-period", defaultValue = "5s", description = "sim time between sensor readings (default: ${DEFAULT-VALUE})")
    String sensorPeriod;

    @Option(names = "--equipment-period", defaultValue = "2s", description = "sim time between machine reports (default: ${DEFAULT-VALUE})")
    String equipmentPeriod;

    @Option(names = "--wearables", defaultValue = "0.2", description = "share of workers with a personal gas monitor (default: ${DEFAULT-VALUE})")
    double wearables;

    @Option(names = "--shift", defaultValue = "8h", description = "length of the working day in sim time (default: ${DEFAULT-VALUE})")
    String shift;

    @Option(names = "--start-in-shift", defaultValue = "0s",
            description = "start this far into the shift (more than 90s: everyone is on site at once) (default: ${DEFAULT-VALUE})")
    String startInShift;

    @Option(names = "--incident", paramLabel = "KIND@OFFSET[:PROJECT]", description = "an incident (repeatable); replaces the default scenario")
    List<String> incidents = new ArrayList<>();

    @Option(names = "--no-incidents", description = "play no incidents")
    boolean noIncidents;

    @Option(names = "--duration", description = "wall-clock run time, e.g. 10m (default: until Ctrl-C)")
    String duration;

    @Option(names = "--start-time", description = "sim time of the start: epoch ms or ISO instant (default: now); fix it for a reproducible run")
    String startTime;

    @Option(names = "--max-in-flight", defaultValue = "10000", description = "unconfirmed events at most (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--progress", defaultValue = "5s", description = "progress line interval, 0 = none (default: ${DEFAULT-VALUE})")
    String progressInterval;

    @Option(names = "--batch-size", defaultValue = "500", description = "ingest: events per request (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--concurrent-requests", defaultValue = "4", description = "ingest: requests in flight (default: ${DEFAULT-VALUE})")
    int concurrentRequests;

    @Option(names = {"-P", "--producer-property"}, paramLabel = "KEY=VALUE", description = "extra producer or registry client setting (repeatable)")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    public static void main(final String[] args) {
        System.exit(run(args));
    }

    static int run(final String[] args) {
        AvroTrust.install();
        final CommandLine cli = new CommandLine(new SimulatorMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sitewire-simulator: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        final SimulatorConfig config = config();
        final boolean eventsOnStdout = "-".equals(target.output);
        final PrintStream progressOut = eventsOnStdout ? System.err : System.out;
        final EventSink sink = sink(config);
        final SiteSimulator simulator = SiteSimulator.start(config, sink, progressOut::println);
        final Thread hook = new Thread(simulator::close, "sitewire-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SimulatorStats stats;
        try {
            stats = simulator.completion().get();
        } catch (final ExecutionException e) {
            simulator.close();
            throw new IllegalStateException("the simulation failed: " + e.getCause(), e.getCause());
        }
        simulator.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running or ran already.
        }
        stats = simulator.stats();
        return stats.failed() == 0 ? 0 : 1;
    }

    SimulatorConfig config() {
        final double[] originParts = pair(origin, ",", "--origin", "LAT,LNG");
        final double[] size = pair(siteSize.toLowerCase(Locale.ROOT), "x", "--site-size", "WIDTHxDEPTH");
        final List<IncidentSpec> scenario;
        if (noIncidents) {
            if (!incidents.isEmpty()) {
                throw new IllegalArgumentException("--no-incidents and --incident exclude each other");
            }
            scenario = List.of();
        } else if (incidents.isEmpty()) {
            scenario = IncidentSpec.DEFAULT_SCENARIO;
        } else {
            scenario = incidents.stream().map(IncidentSpec::parse).toList();
        }
        return SimulatorConfig.builder()
                .projectIds(projects.stream().map(String::strip).toList())
                .origin(originParts[0], originParts[1])
                .siteSize(size[0], size[1])
                .workers(workers)
                .machines(machines)
                .sensors(sensors)
                .speed(speed)
                .seed(seed)
                .targetRate(rate)
                .positionsPerSecond(positionsPerSecond)
                .sensorPeriod(Durations.parse(sensorPeriod))
                .equipmentPeriod(Durations.parse(equipmentPeriod))
                .wearableFraction(wearables)
                .shiftLength(Durations.parse(shift))
                .startInShift(Durations.parse(startInShift))
                .incidents(scenario)
                .duration(duration == null ? Duration.ZERO : Durations.parse(duration))
                .startTimeMs(startTime == null ? 0 : startTime(startTime))
                .maxInFlight(maxInFlight)
                .progressInterval(Durations.parse(progressInterval))
                .build();
    }

    private EventSink sink(final SimulatorConfig config) throws IOException {
        if (target.kafka != null) {
            final Map<String, Object> extra = new LinkedHashMap<>(kafkaEnv(System.getenv()));
            extra.putAll(producerProperties);
            return new KafkaEventSink(target.kafka.bootstrapServers, target.kafka.registryUrl,
                    TopicCatalogue.withPrefix(topicPrefix), extra, config.maxInFlight());
        }
        if (target.ingest != null) {
            if (target.ingest.token == null || target.ingest.token.isBlank()) {
                throw new IllegalArgumentException("--token (or env SITEWIRE_INGEST_TOKEN) is required with --ingest-url");
            }
            return new HttpIngestSink(URI.create(target.ingest.url), target.ingest.token, batchSize, concurrentRequests,
                    Duration.ofSeconds(30));
        }
        final OutputStream out = "-".equals(target.output) ? System.out : new FileOutputStream(target.output);
        return new JsonLinesSink(out, out != System.out);
    }

    /** KAFKA_SECURITY_PROTOCOL=SASL_SSL -> security.protocol=SASL_SSL. */
    static Map<String, Object> kafkaEnv(final Map<String, String> env) {
        final Map<String, Object> settings = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (KafkaClientEnvironment.isClientSetting(name)) {
                settings.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return settings;
    }

    private static double[] pair(final String text, final String separator, final String option, final String form) {
        final String[] parts = text.split(java.util.regex.Pattern.quote(separator));
        try {
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be " + form + ", got '" + text + "'");
    }

    private static long startTime(final String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (final NumberFormatException e) {
            try {
                return Instant.parse(text.strip()).toEpochMilli();
            } catch (final DateTimeParseException e2) {
                throw new IllegalArgumentException("--start-time must be epoch ms or an ISO instant "
                        + "(2026-01-15T07:00:00Z), got '" + text + "'");
            }
        }
    }
}
