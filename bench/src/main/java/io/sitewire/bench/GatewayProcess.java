package io.sitewire.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as a child JVM ({@code java -cp <ws-gateway runtime classpath> io.sitewire.gateway.GatewayMain}),
 * configured by {@code SITEWIRE_*} environment variables as in production, listening on loopback only. Its heap
 * is read with {@code jcmd}: {@code GC.class_histogram} (a full GC first, then live bytes) for the idle-connection
 * figure, {@code GC.heap_info} (no GC) while a flood runs.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final Process process;
    private final URI base;
    private final Path log;
    private final Path jfr;

    private GatewayProcess(final Process process, final URI base, final Path log, final Path jfr) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.jfr = jfr;
    }

    static GatewayProcess start(final Path classpathFile, final Map<String, String> env, final String heap,
                                final Path outDir, final boolean profile, final Duration timeout) throws IOException {
        final String classpath = Files.readString(classpathFile).strip();
        final int port = freePort();
        final Path log = outDir.resolve("gateway.log");
        final Path jfr = profile ? outDir.resolve("gateway.jfr").toAbsolutePath() : null;
        final List<String> command = new ArrayList<>(List.of(javaBin(), "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
        final Path logback = outDir.resolve("gateway-logback.xml");
        try (var in = GatewayProcess.class.getResourceAsStream("/sitewire-bench-gateway-logback.xml")) {
            Files.write(logback, in.readAllBytes());
        }
        command.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of("-cp", classpath, "io.sitewire.gateway.GatewayMain"));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("SITEWIRE_PORT", Integer.toString(port));
        builder.environment().put("SITEWIRE_BIND_HOST", "127.0.0.1");
        final Process process = builder.start();
        final GatewayProcess gateway = new GatewayProcess(process, URI.create("http://127.0.0.1:" + port), log, jfr);
        gateway.awaitReady(timeout);
        return gateway;
    }

    private void awaitReady(final Duration timeout) throws IOException {
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (final IOException e) {
                // not listening yet
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the gateway", e);
            }
            pause(200);
        }
        close();
        throw new IOException("the gateway was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    Path jfrFile() {
        return jfr;
    }

    /** Live heap bytes after a full GC; {@code limit} bounds the jcmd call (a loaded gateway can be slow to answer). */
    long liveHeapAfterGc(final Duration limit) throws IOException {
        final Matcher m = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram", limit));
        if (!m.find()) {
            throw new IOException("no total in the gateway's class histogram");
        }
        return Long.parseLong(m.group(1));
    }

    /** Heap in use now (no GC), bytes; -1 if jcmd did not answer within {@code limit}. */
    long heapUsed(final Duration limit) {
        try {
            final Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info", limit));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (final IOException e) {
            return -1;
        }
    }

    /** Resident set size of the gateway process, bytes (Linux). */
    long rss() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Runs jcmd against the gateway, its output to a file so that a jcmd that hangs cannot block a read. */
    private String jcmd(final String command, final Duration limit) throws IOException {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        final Path output = Files.createTempFile("sitewire-bench-jcmd", ".txt");
        try {
            final Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("jcmd " + command + " did not answer within " + limit.toSeconds() + " s");
                }
            } catch (final InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running jcmd " + command, e);
            }
            return Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the gateway's shutdown hook closes it and the JFR recording is dumped
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void pause(final long ms) {
        try {
            Thread.sleep(ms); // polling a child process's readiness: there is no event to wait on
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
