package io.sitewire.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * The simulated sites as a pure step function: {@link #step(long)} advances sim time and returns the events that
 * happened, in event-time order, each with {@code eventTime} = its sim time. No clock, no threads, no I/O: the same
 * config and start time give the same events, however time is sliced into steps.
 *
 * <p>Not thread-safe: one caller steps it (the {@link SiteSimulator}'s tick thread, or a test).
 */
public final class SiteModel {

    private final SimulatorConfig config;
    private final long startTimeMs;
    private final Agenda agenda = new Agenda();
    private final Map<String, ProjectSite> projects = new LinkedHashMap<>();
    private final List<FiredIncident> fired = Collections.synchronizedList(new ArrayList<>());
    private List<SpecificRecord> out = new ArrayList<>();
    private long time;

    /**
     * @param startTimeMs sim time of the start, epoch ms (> 0); {@code config.startTimeMs()} is not consulted here
     */
    public SiteModel(final SimulatorConfig config, final long startTimeMs) {
        if (startTimeMs <= 0) {
            throw new IllegalArgumentException("start time must be epoch milliseconds > 0, got " + startTimeMs);
        }
        this.config = config;
        this.startTimeMs = startTimeMs;
        this.time = startTimeMs - 1;
        final SplittableRandom root = new SplittableRandom(config.seed());
        for (int i = 0; i < config.projectIds().size(); i++) {
            final String projectId = config.projectIds().get(i);
            final ProjectSite site = new ProjectSite(projectId, SitePlan.forProject(config, i), config, startTimeMs,
                    root.split(), agenda, e -> out.add(e), fired::add);
            projects.put(projectId, site);
        }
        projects.values().forEach(p -> p.schedule(config.incidents()));
    }

    /** Every event up to and including {@code untilMs}. */
    public List<SpecificRecord> step(final long untilMs) {
        return step(untilMs, Integer.MAX_VALUE);
    }

    /**
     * Events up to and including {@code untilMs}, stopping early once about {@code maxEvents} were produced (one
     * action may add a few more, e.g. a multi-gas reading). {@link #time()} then tells how far the model got; the next
     * call continues exactly where this one stopped.
     */
    public List<SpecificRecord> step(final long untilMs, final int maxEvents) {
        out = new ArrayList<>();
        while (agenda.nextTime() <= untilMs && out.size() < maxEvents) {
            agenda.runNext();
        }
        final long next = agenda.nextTime();
        time = next <= untilMs ? next - 1 : Math.max(time, untilMs);
        final List<SpecificRecord> events = out;
        out = new ArrayList<>();
        return events;
    }

    /**
     * Ends the simulation gracefully: one {@code worker_presence} CHECK_OUT (status OFFSITE) at {@code atMs} for each
     * worker still checked in, in every project. Without them the streams app would, rightly, report every silent
     * checked-in worker missing once the simulation stops. Call it once, after the last {@link #step}; a second call
     * returns nothing.
     *
     * @param atMs the check-out time, epoch ms; at least {@link #time()} so the events stay in event-time order
     */
    public List<SpecificRecord> checkOutEveryone(final long atMs) {
        if (atMs < time) {
            throw new IllegalArgumentException("check-out time " + atMs + " is before the model's time " + time);
        }
        out = new ArrayList<>();
        projects.values().forEach(p -> p.checkOutEveryone(atMs));
        final List<SpecificRecord> events = out;
        out = new ArrayList<>();
        return events;
    }

    /** Every event with an event time up to this (epoch ms) has been returned by {@link #step}. */
    public long time() {
        return time;
    }

    public long startTimeMs() {
        return startTimeMs;
    }

    public SimulatorConfig config() {
        return config;
    }

    public List<String> projectIds() {
        return List.copyOf(projects.keySet());
    }

    /** The plan of a simulated project's site (zones, coordinates). */
    public SitePlan plan(final String projectId) {
        final ProjectSite site = projects.get(projectId);
        if (site == null) {
            throw new IllegalArgumentException("no simulated project " + projectId + " (projects: " + projects.keySet() + ")");
        }
        return site.plan();
    }

    /** Incidents played so far, in the order they started. */
    public List<FiredIncident> incidentsFired() {
        synchronized (fired) {
            return List.copyOf(fired);
        }
    }
}
