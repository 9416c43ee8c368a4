package io.sitewire.launcher.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The site under soak: {@code sitewire up} in its own JVM (the clients run in the soak's JVM, so the site's heap is
 * the site's alone), with its output kept in a file and in memory.
 */
final class SiteProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch up = new CountDownLatch(1);
    private final Thread reader;

    private SiteProcess(final Process process, final Path log) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    out.println(line);
                    if (line.equals("Press Ctrl-C to stop.")) {
                        up.countDown();
                    }
                }
            } catch (final IOException e) {
                // the process ended
            }
        }, "sitewire-soak-site-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code sitewire up} with these arguments from this JVM's classpath and waits until it is up. */
    static SiteProcess start(final List<String> upArguments, final Path log, final Duration timeout)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsitewire.log.dir=" + log.getParent().resolve("site-logs"),
                "-cp", System.getProperty("java.class.path"), "io.sitewire.launcher.Sitewire", "up"));
        command.addAll(upArguments);
        final SiteProcess site = new SiteProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!site.up.await(1, TimeUnit.SECONDS)) {
            if (!site.process.isAlive()) {
                site.reader.join(5_000);
                throw new IllegalStateException("sitewire up exited with " + site.process.exitValue() + ":\n" + site.output());
            }
            if (System.nanoTime() > deadline) {
                site.close();
                throw new IllegalStateException("sitewire up was not up within " + timeout.toSeconds() + " s:\n" + site.output());
            }
        }
        return site;
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Stops it as Ctrl-C would and waits; returns its stop report (the lines from "Stopping Sitewire" on). */
    List<String> stop(final Duration timeout) throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM: the launcher's clean stop
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        synchronized (lines) {
            final int from = lines.indexOf("Stopping Sitewire (Ctrl-C again to exit at once) ...");
            return from < 0 ? List.of() : List.copyOf(lines.subList(from + 1, lines.size()));
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
