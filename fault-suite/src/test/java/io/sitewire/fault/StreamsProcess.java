package io.sitewire.fault;

import io.sitewire.streams.StreamsApp;
import io.sitewire.streams.config.StreamsAppConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The streams app's own {@code main} in a JVM of its own, so that it can be killed as a crash kills it: SIGKILL
 * ({@link Process#destroyForcibly()}), with no shutdown hook, no commit, no transaction abort and no leaving the group.
 * Its output goes to {@code target/<name>.log}.
 */
final class StreamsProcess implements AutoCloseable {

    private final Process process;

    private StreamsProcess(final Process process) {
        this.process = process;
        // A test JVM that dies (or is stopped) must not leave an app running against nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "streams-process-reaper"));
    }

    static StreamsProcess start(final Site site, final Path stateDir, final String name) {
        try {
            final Path config = Files.createTempFile("sitewire-streams-", ".properties");
            final Properties props = new Properties();
            props.setProperty(StreamsAppConfig.APPLICATION_ID, "streams-" + site.run);
            props.setProperty(StreamsAppConfig.BOOTSTRAP_SERVERS, site.stack.bootstrapServers());
            props.setProperty(StreamsAppConfig.SCHEMA_REGISTRY_URL, site.stack.registry().ccompatUrl());
            props.setProperty(StreamsAppConfig.TOPIC_PREFIX, site.run);
            props.setProperty(StreamsAppConfig.STATE_DIR, stateDir.toString());
            // The killed member stays in the group until its session expires; 6 s instead of 45 s keeps the test short.
            props.setProperty("kafka.session.timeout.ms", "6000");
            try (Writer out = Files.newBufferedWriter(config)) {
                props.store(out, "fault-suite streams app");
            }
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx384m");
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-cp");
            command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            command.add(StreamsApp.class.getName());
            command.add("--config");
            command.add(config.toString());
            final Path log = Path.of("target", name + ".log").toAbsolutePath();
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Only the config file speaks: no SITEWIRE_* or KAFKA_* variable of the build machine leaks in.
            builder.environment().keySet().removeIf(k -> k.startsWith("SITEWIRE_") || k.startsWith("KAFKA_"));
            return new StreamsProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the streams app process", e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the streams app process survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
