package io.sitewire.simulator;

import io.sitewire.schemas.EventType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SiteModel} against the wall clock and hands its events to an {@link EventSink}: every
 * {@value #TICK_MS} ms the model is stepped to {@code start + elapsed x speed}. A sink that cannot keep up blocks the
 * tick (its in-flight window is full), so the simulator falls behind rather than buffering without bound; the
 * progress line says by how much. With a duration, the run ends at sim time {@code start + duration x speed}, after
 * the last event was flushed, however long that takes.
 *
 * <p>The simulator owns the sink: {@link #close()} flushes and closes it. A graceful end (the configured duration
 * reached, or {@link #close()}) checks every worker still on site out ({@link SiteModel#checkOutEveryone}), so the
 * site's state is true once the events stop; a simulator that is killed sends no check-outs, and the streams app
 * reports its silent workers missing, as it must.
 */
public final class SiteSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SiteSimulator.class);
    static final long TICK_MS = 20;
    /** Longest a tick keeps stepping when behind, so progress and close stay responsive. */
    private static final long TICK_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How long an end waits for the sink to drain, twice at most (the events, then the check-outs). */
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(10);

    private final SimulatorConfig config;
    private final EventSink sink;
    private final Consumer<String> progress;
    private final SiteModel model;
    private final long simStart;
    private final long simEnd;
    private final long wallStart;
    private final int maxPerStep;
    private final ScheduledExecutorService executor;
    private final AtomicLongArray generated = new AtomicLongArray(EventType.values().length);
    private final AtomicLongArray delivered = new AtomicLongArray(EventType.values().length);
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean checkedOut = new AtomicBoolean();
    private final CompletableFuture<SimulatorStats> completion = new CompletableFuture<>();
    private final EventSink.Delivery delivery;
    private volatile boolean stopping;
    private volatile long simTime;
    private volatile long targetTime;
    private volatile long wallEnd;
    private volatile boolean finished;
    private ScheduledFuture<?> tickTask;
    private ScheduledFuture<?> progressTask;
    private long[] lastDelivered = new long[EventType.values().length];
    private long lastProgress;

    private SiteSimulator(final SimulatorConfig config, final EventSink sink, final Consumer<String> progress) {
        this.config = config;
        this.sink = sink;
        this.progress = progress;
        this.simStart = config.startTimeMs() > 0 ? config.startTimeMs() : System.currentTimeMillis();
        this.model = new SiteModel(config, simStart);
        this.simEnd = config.duration().isZero() ? Long.MAX_VALUE
                : simStart + Math.round(config.duration().toMillis() * config.speed());
        this.maxPerStep = Math.max(1000, config.maxInFlight());
        this.simTime = model.time();
        this.delivery = new EventSink.Delivery() {
            @Override
            public void delivered(final SpecificRecord event) {
                delivered.incrementAndGet(EventType.of(event).ordinal());
            }

            @Override
            public void failed(final SpecificRecord event, final Exception error) {
                failed.incrementAndGet();
            }
        };
        final AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            final Thread t = new Thread(r, "sitewire-sim-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.wallStart = System.nanoTime();
        this.lastProgress = wallStart;
    }

    /** Starts a run that reports progress through this class's logger. */
    public static SiteSimulator start(final SimulatorConfig config, final EventSink sink) {
        return start(config, sink, LOG::info);
    }

    /** Starts a run; {@code progress} receives the start line, a line every progress interval and the final summary. */
    public static SiteSimulator start(final SimulatorConfig config, final EventSink sink, final Consumer<String> progress) {
        final SiteSimulator simulator = new SiteSimulator(config, sink, progress);
        progress.accept(simulator.describeStart());
        simulator.tickTask = simulator.executor.scheduleWithFixedDelay(simulator::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        if (!config.progressInterval().isZero()) {
            final long every = config.progressInterval().toMillis();
            simulator.progressTask = simulator.executor.scheduleAtFixedRate(simulator::reportProgress, every, every,
                    TimeUnit.MILLISECONDS);
        }
        return simulator;
    }

    private String describeStart() {
        return String.format(Locale.ROOT, "simulating %d project(s) %s: %d workers, %d machines, %d sensors each; speed x%s,"
                        + " seed %d, sim start %d; ~%.0f events/s expected with everyone on site (%.2f fixes/worker/s);"
                        + " incidents: %s; %s; to %s",
                config.projectIds().size(), config.projectIds(), config.workers(), config.machines(), config.sensors(),
                trim(config.speed()), config.seed(), simStart, config.expectedEventsPerWallSecond(),
                config.effectivePositionsPerSecond(),
                config.incidents().isEmpty() ? "none" : config.incidents().stream().map(IncidentSpec::toString)
                        .collect(Collectors.joining(" ")),
                config.duration().isZero() ? "until stopped" : "for " + Durations.format(config.duration()),
                sink.describe());
    }

    private void tick() {
        if (stopping || finished) {
            return;
        }
        try {
            final long tickStart = System.nanoTime();
            final long elapsedMs = (tickStart - wallStart) / 1_000_000;
            final long target = Math.min(simEnd, simStart + Math.round(elapsedMs * config.speed()));
            targetTime = target;
            do {
                final List<SpecificRecord> events = model.step(target, maxPerStep);
                for (final SpecificRecord event : events) {
                    generated.incrementAndGet(EventType.of(event).ordinal());
                }
                if (!events.isEmpty()) {
                    sink.send(events, delivery);
                }
                simTime = model.time();
            } while (simTime < target && !stopping && System.nanoTime() - tickStart < TICK_BUDGET_NANOS);
            if (simTime >= simEnd) {
                finish();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException | Error e) {
            LOG.error("the simulation stopped on an error", e);
            stopping = true;
            completion.completeExceptionally(e);
        }
    }

    private void finish() throws InterruptedException {
        if (sink.flush(CLOSE_FLUSH)) {
            checkOutEveryone(simEnd);
        } else {
            LOG.warn("{} event(s) still unconfirmed {} after the end of the run; workers left checked in",
                    sink.inFlight(), Durations.format(CLOSE_FLUSH));
        }
        wallEnd = System.nanoTime();
        finished = true;
        if (tickTask != null) {
            tickTask.cancel(false);
        }
        if (progressTask != null) {
            progressTask.cancel(false);
        }
        final SimulatorStats stats = stats();
        progress.accept(summary("finished", stats));
        completion.complete(stats);
    }

    /**
     * Sends the check-outs that end the simulation and waits for them (bounded). Runs on the thread that owns the
     * model: the tick thread at the end of a timed run, or the closing thread once the ticks have stopped.
     */
    private void checkOutEveryone(final long atMs) throws InterruptedException {
        if (!checkedOut.compareAndSet(false, true)) {
            return;
        }
        final List<SpecificRecord> checkOuts = model.checkOutEveryone(Math.max(atMs, model.time()));
        if (checkOuts.isEmpty()) {
            return;
        }
        for (final SpecificRecord event : checkOuts) {
            generated.incrementAndGet(EventType.of(event).ordinal());
        }
        sink.send(checkOuts, delivery);
        if (sink.flush(CLOSE_FLUSH)) {
            LOG.info("checked {} worker(s) out at the end of the simulation", checkOuts.size());
        } else {
            LOG.warn("{} of {} check-out(s) unconfirmed after {}", sink.inFlight(), checkOuts.size(), Durations.format(CLOSE_FLUSH));
        }
    }

    /** Completes with the final stats when the configured duration is over and flushed (never, without a duration). */
    public CompletableFuture<SimulatorStats> completion() {
        return completion;
    }

    /** Waits for the end of the run; false on timeout. */
    public boolean awaitCompletion(final Duration timeout) throws InterruptedException {
        try {
            completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (final TimeoutException e) {
            return false;
        } catch (final java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    public SimulatorStats stats() {
        final Map<EventType, Long> gen = new EnumMap<>(EventType.class);
        final Map<EventType, Long> del = new EnumMap<>(EventType.class);
        for (final EventType type : EventType.values()) {
            if (generated.get(type.ordinal()) > 0) {
                gen.put(type, generated.get(type.ordinal()));
            }
            if (delivered.get(type.ordinal()) > 0) {
                del.put(type, delivered.get(type.ordinal()));
            }
        }
        final long end = wallEnd != 0 ? wallEnd : System.nanoTime();
        return new SimulatorStats(simStart, simTime, Duration.ofNanos(end - wallStart), gen, del, failed.get(),
                sink.inFlight(), model.incidentsFired(), finished);
    }

    /** The plan of a simulated project (for dashboards and tests). */
    public SitePlan plan(final String projectId) {
        return model.plan(projectId);
    }

    private synchronized void reportProgress() {
        try {
            final long now = System.nanoTime();
            final double seconds = Math.max(1e-3, (now - lastProgress) / 1e9);
            final long[] current = new long[EventType.values().length];
            long total = 0;
            final StringBuilder byType = new StringBuilder();
            for (final EventType type : EventType.values()) {
                current[type.ordinal()] = delivered.get(type.ordinal());
                final long delta = current[type.ordinal()] - lastDelivered[type.ordinal()];
                total += delta;
                if (delta > 0) {
                    final double perSecond = delta / seconds;
                    byType.append(byType.length() == 0 ? "" : ", ").append(type.jsonName()).append(' ')
                            .append(perSecond >= 10 ? Long.toString(Math.round(perSecond))
                                    : String.format(Locale.ROOT, perSecond >= 1 ? "%.1f" : "%.2f", perSecond));
                }
            }
            lastDelivered = current;
            lastProgress = now;
            final SimulatorStats stats = stats();
            final long behind = targetTime - simTime;
            progress.accept(String.format(Locale.ROOT, "[sim +%s x%s] %,d ev/s%s | delivered %,d, failed %,d, in flight %,d%s"
                            + " | incidents %d%s",
                    clock(stats.simElapsed()), trim(config.speed()), Math.round(total / seconds),
                    byType.length() == 0 ? "" : " (" + byType + ")", stats.deliveredTotal(), stats.failed(), stats.inFlight(),
                    behind > 1000 ? String.format(Locale.ROOT, " | %.1f s behind%s", behind / 1000.0,
                            stats.inFlight() >= config.maxInFlight() * 9 / 10 ? " (sink window full)" : "") : "",
                    stats.incidentsFired().size(), incidents(stats)));
        } catch (final RuntimeException e) {
            LOG.warn("progress report failed", e);
        }
    }

    private static String incidents(final SimulatorStats stats) {
        if (stats.incidentsFired().isEmpty()) {
            return "";
        }
        return ": " + stats.incidentsFired().stream().map(i -> i.kind().cliName()).collect(Collectors.joining(", "));
    }

    private String summary(final String how, final SimulatorStats stats) {
        return String.format(Locale.ROOT, "%s after %.1f s wall, %s sim: generated %,d, delivered %,d (%,.0f/s achieved),"
                        + " failed %,d, unconfirmed %,d; by type %s; incidents: %s",
                how, stats.wallElapsed().toMillis() / 1000.0, clock(stats.simElapsed()), stats.generatedTotal(),
                stats.deliveredTotal(), stats.deliveredPerSecond(), stats.failed(), stats.inFlight(),
                stats.delivered().entrySet().stream().map(e -> e.getKey().jsonName() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}")),
                stats.incidentsFired().isEmpty() ? "none"
                        : stats.incidentsFired().stream().map(FiredIncident::toString).collect(Collectors.joining("; ")));
    }

    private static String clock(final Duration d) {
        final long s = d.toSeconds();
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String trim(final double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Stops the run (if still going), waits for the events in flight (up to 10 s), checks every worker still on site
     * out (if the sink drained; up to 10 s more), closes the sink and reports the final summary. Idempotent; safe from
     * a shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        if (tickTask != null) {
            tickTask.cancel(false);
        }
        if (progressTask != null) {
            progressTask.cancel(false);
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                // A tick blocked on a full window: interrupt it; what it had not handed over is dropped.
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (!executor.isTerminated()) {
                LOG.warn("the simulation thread did not stop; workers left checked in");
            } else if (finished) {
                LOG.debug("the run had finished; its end already checked the workers out");
            } else if (sink.flush(CLOSE_FLUSH)) {
                // The ticks have stopped (the executor terminated), so this thread may touch the model now.
                checkOutEveryone(simTime);
            } else {
                LOG.warn("{} event(s) still unconfirmed after {} at close; workers left checked in", sink.inFlight(),
                        Durations.format(CLOSE_FLUSH));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (wallEnd == 0) {
                wallEnd = System.nanoTime();
            }
            final SimulatorStats stats = stats();
            sink.close();
            if (!completion.isDone()) {
                progress.accept(summary("stopped", stats));
                completion.complete(stats);
            }
        }
    }
}
