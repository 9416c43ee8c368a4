package io.sitewire.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/bin/sitewire-bench}: runs the benchmark suite (docs/benchmarks.md). */
@Command(name = "sitewire-bench", mixinStandardHelpOptions = true,
        description = "Runs Sitewire's benchmark scenarios against a real stack and writes JSON, Markdown and a PNG plot.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--scenarios", split = ",", defaultValue = "shift-start,idle-heap,steady,flood,emergency,reconnect-storm,end-to-end,ingest",
            description = "scenarios, in order (default: ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(names = "--clients", split = ",", defaultValue = "1000,5000,10000", description = "client counts (default: ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(names = "--out", description = "results folder (default: bench/results/<date-time>)")
    Path out;

    @Option(names = "--seconds", defaultValue = "15", description = "measured seconds of steady, end-to-end and ingest (default: ${DEFAULT-VALUE})")
    long seconds;

    @Option(names = "--deadline", defaultValue = "60", description = "most seconds any scenario waits for its clients (default: ${DEFAULT-VALUE})")
    long deadline;

    @Option(names = "--cut", defaultValue = "60", description = "seconds the reconnect storm keeps 10 %% of the clients away (default: ${DEFAULT-VALUE})")
    long cut;

    @Option(names = "--steady-rate", defaultValue = "10", description = "alerts/s in the steady flow and the storm, each to every client (default: ${DEFAULT-VALUE})")
    double steadyRate;

    @Option(names = "--flood-deliveries", defaultValue = "3000000", description = "deliveries per flood burst; events = this / clients (default: ${DEFAULT-VALUE})")
    long floodDeliveries;

    @Option(names = "--e2e-rate", defaultValue = "2000", description = "sensor readings/s in the end-to-end scenario (default: ${DEFAULT-VALUE})")
    int e2eRate;

    @Option(names = "--e2e-observers", defaultValue = "5", description = "clients receiving the end-to-end alerts (default: ${DEFAULT-VALUE})")
    int e2eObservers;

    @Option(names = "--deflate", description = "clients offer permessage-deflate (as browsers do)")
    boolean deflate;

    @Option(names = "--window", defaultValue = "256", description = "flow-control window each client asks for, in frames, as the JS SDK does; 0: none (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--handshake-window", defaultValue = "1000", description = "WebSocket handshakes in flight at once (default: ${DEFAULT-VALUE})")
    int handshakeWindow;

    @Option(names = "--gateway-heap", defaultValue = "1g", description = "gateway child JVM heap (default: ${DEFAULT-VALUE})")
    String gatewayHeap;

    @Option(names = "--no-profile", description = "do not record the gateway with JFR")
    boolean noProfile;

    @Option(names = "--gateway-classpath-file", defaultValue = "bench/target/gateway-classpath.txt", description = "the gateway's runtime classpath (default: ${DEFAULT-VALUE})")
    Path gatewayClasspathFile;

    @Option(names = "--topic-prefix", defaultValue = "sitewire", description = "topic prefix (default: ${DEFAULT-VALUE})")
    String topicPrefix;

    @Option(names = "--bootstrap-servers", description = "use this running Kafka instead of starting one (needs --registry-url)")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "use this running Confluent-compatible registry")
    String registryUrl;

    @Option(names = "--gateway-url", description = "use this running gateway (http://127.0.0.1:PORT; needs --gateway-secret); no heap figures then")
    String gatewayUrl;

    @Option(names = "--gateway-secret", defaultValue = "${env:SITEWIRE_AUTH_HS256_SECRET}", description = "HS256 secret of the running gateway")
    String gatewaySecret;

    @Option(names = "--no-streams", description = "do not start the streams app (a running stack has its own)")
    boolean noStreams;

    @Override
    public Integer call() throws Exception {
        if ((bootstrapServers == null) != (registryUrl == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--bootstrap-servers and --registry-url go together");
        }
        if (gatewayUrl != null && (gatewaySecret == null || gatewaySecret.isBlank())) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--gateway-url needs --gateway-secret");
        }
        final Path folder = out != null ? out : Path.of("bench", "results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        final BenchOptions o = new BenchOptions(scenarios.stream().map(Scenario::of).toList(), clients, folder,
                Duration.ofSeconds(seconds), Duration.ofSeconds(deadline), Duration.ofSeconds(cut), steadyRate,
                floodDeliveries, e2eRate, e2eObservers, deflate, window, handshakeWindow, gatewayHeap, !noProfile,
                gatewayClasspathFile, topicPrefix, bootstrapServers, registryUrl, gatewayUrl, gatewaySecret, !noStreams);
        Suite.run(o, System.out);
        return 0;
    }

    public static void main(final String[] args) {
        final int code = new CommandLine(new BenchMain()).execute(args);
        System.exit(code);
    }

}
