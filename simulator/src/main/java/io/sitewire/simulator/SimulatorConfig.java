package io.sitewire.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything the simulator can be told. Counts are per project; times marked "sim" are in simulated time, which runs
 * {@code speed} times as fast as the wall clock. Build with {@link #builder()} (defaults below); the constructor
 * validates and reports every problem at once.
 *
 * @param projectIds          the simulated sites, one independent site plan each (default {@code demo})
 * @param originLat           latitude of the first site's centre (WGS84 degrees); further sites lie north of it
 * @param originLng           longitude of the sites' centre
 * @param siteWidthM          site extent east-west in metres (350-3000, default 400)
 * @param siteDepthM          site extent north-south in metres (240-3000, default 300)
 * @param workers             workers per project (default 200)
 * @param machines            machines per project: tower cranes (at most two), excavators, loaders, trucks,
 *                            forklifts, concrete pumps (default 8)
 * @param sensors             fixed sensor devices per project: multi-gas (4 readings each), dust (3) and noise (1)
 *                            monitors spread over the zones (default 40)
 * @param speed               sim seconds per wall second (default 1.0)
 * @param seed                seed of every random choice: the same seed (and start time) gives the same events
 * @param positionsPerSecond  position fixes per checked-in worker per sim second (default 1.0); ignored when
 *                            {@code targetRate} is set
 * @param sensorPeriod        sim time between two readings of a sensor (fixed or worn; default 5 s)
 * @param equipmentPeriod     sim time between two status reports of a machine (default 2 s); state changes are
 *                            reported at once besides
 * @param targetRate          load-generator mode: events per wall second wanted with everyone on site; the position
 *                            rate is derived from it. 0 (default) = off
 * @param wearableFraction    share of workers wearing a personal 4-gas monitor (default 0.2)
 * @param shiftLength         sim length of the working day, from the first check-in to the last check-out (default 8 h)
 * @param startInShift        how far into the day's shift the simulation starts (default 0: workers arrive during the
 *                            first 90 sim seconds; more: they are on site from the start)
 * @param incidents           scripted incidents (default {@link IncidentSpec#DEFAULT_SCENARIO})
 * @param duration            wall-clock run time; the run ends at sim time start + duration x speed. ZERO (default)
 *                            = until closed
 * @param startTimeMs         sim time of the start (epoch ms); 0 (default) = the wall clock at start. Fix it for a
 *                            reproducible event sequence
 * @param maxInFlight         events handed to the sink and not yet acknowledged, at most (default 10,000)
 * @param progressInterval    how often a progress line is printed; ZERO = never (default 5 s)
 */
public record SimulatorConfig(
        List<String> projectIds,
        double originLat,
        double originLng,
        double siteWidthM,
        double siteDepthM,
        int workers,
        int machines,
        int sensors,
        double speed,
        long seed,
        double positionsPerSecond,
        Duration sensorPeriod,
        Duration equipmentPeriod,
        double targetRate,
        double wearableFraction,
        Duration shiftLength,
        Duration startInShift,
        List<IncidentSpec> incidents,
        Duration duration,
        long startTimeMs,
        int maxInFlight,
        Duration progressInterval) {

    /** The most position fixes per worker per second the model produces (one every 20 ms). */
    public static final double MAX_POSITIONS_PER_SECOND = 50;

    public SimulatorConfig {
        projectIds = List.copyOf(Objects.requireNonNull(projectIds, "projectIds"));
        incidents = List.copyOf(Objects.requireNonNull(incidents, "incidents"));
        Objects.requireNonNull(sensorPeriod, "sensorPeriod");
        Objects.requireNonNull(equipmentPeriod, "equipmentPeriod");
        Objects.requireNonNull(shiftLength, "shiftLength");
        Objects.requireNonNull(startInShift, "startInShift");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(progressInterval, "progressInterval");
        final List<String> problems = new ArrayList<>();
        if (projectIds.isEmpty() || projectIds.size() > 50) {
            problems.add("projects: between 1 and 50 project ids, got " + projectIds.size());
        }
        if (new HashSet<>(projectIds).size() != projectIds.size()) {
            problems.add("projects: ids must be distinct, got " + projectIds);
        }
        for (final String id : projectIds) {
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
                problems.add("projects: '" + id + "' is not an id (1-64 letters, digits, '.', '_', '-')");
            }
        }
        check(problems, originLat >= -80 && originLat <= 80, "origin latitude must be within [-80, 80], got " + originLat);
        check(problems, originLng >= -179 && originLng <= 179, "origin longitude must be within [-179, 179], got " + originLng);
        check(problems, siteWidthM >= SitePlan.MIN_WIDTH_M && siteWidthM <= SitePlan.MAX_SIZE_M,
                "site width must be between " + (int) SitePlan.MIN_WIDTH_M + " and " + (int) SitePlan.MAX_SIZE_M
                        + " m (the machine strip alone is " + (int) SitePlan.STRIP_WIDTH_M + " m), got " + siteWidthM);
        check(problems, siteDepthM >= SitePlan.MIN_DEPTH_M && siteDepthM <= SitePlan.MAX_SIZE_M,
                "site depth must be between " + (int) SitePlan.MIN_DEPTH_M + " and " + (int) SitePlan.MAX_SIZE_M
                        + " m, got " + siteDepthM);
        check(problems, workers >= 0 && workers <= 100_000, "workers must be between 0 and 100000, got " + workers);
        check(problems, machines >= 0 && machines <= 1000, "machines must be between 0 and 1000, got " + machines);
        check(problems, sensors >= 0 && sensors <= 10_000, "sensors must be between 0 and 10000, got " + sensors);
        check(problems, speed > 0 && speed <= 10_000, "speed must be in (0, 10000], got " + speed);
        check(problems, period(sensorPeriod), "sensor period must be between 100ms and 1h, got " + Durations.format(sensorPeriod));
        check(problems, period(equipmentPeriod), "equipment period must be between 100ms and 1h, got "
                + Durations.format(equipmentPeriod));
        check(problems, wearableFraction >= 0 && wearableFraction <= 1, "wearable fraction must be within [0, 1], got "
                + wearableFraction);
        check(problems, shiftLength.compareTo(Duration.ofMinutes(10)) >= 0 && shiftLength.compareTo(Duration.ofHours(20)) <= 0,
                "shift length must be between 10m and 20h, got " + Durations.format(shiftLength));
        check(problems, !startInShift.isNegative() && startInShift.compareTo(shiftLength) < 0,
                "start in shift must be at least 0 and shorter than the shift, got " + Durations.format(startInShift));
        check(problems, !duration.isNegative(), "duration must not be negative");
        check(problems, startTimeMs >= 0, "start time must be epoch milliseconds (or 0 for now), got " + startTimeMs);
        check(problems, maxInFlight >= 1 && maxInFlight <= 1_000_000, "max in flight must be between 1 and 1000000, got "
                + maxInFlight);
        check(problems, progressInterval.isZero() || progressInterval.compareTo(Duration.ofMillis(100)) >= 0,
                "progress interval must be 0 (off) or at least 100ms");
        for (final IncidentSpec incident : incidents) {
            final String project = incident.projectId().orElse(null);
            check(problems, project == null || projectIds.contains(project),
                    "incident " + incident + ": no simulated project '" + project + "' (projects: " + projectIds + ")");
        }
        if (targetRate != 0) {
            check(problems, targetRate > 0 && targetRate <= 10_000_000, "rate must be in (0, 10000000] events/s, got "
                    + targetRate);
        } else {
            check(problems, positionsPerSecond > 0 && positionsPerSecond <= MAX_POSITIONS_PER_SECOND,
                    "positions per second (per worker) must be in (0, " + (int) MAX_POSITIONS_PER_SECOND + "], got "
                            + positionsPerSecond);
        }
        if (problems.isEmpty() && targetRate > 0) {
            final double derived = derivedPositionsPerSecond(targetRate, speed, projectIds.size(), workers, machines,
                    sensors, sensorPeriod, equipmentPeriod, wearableFraction);
            check(problems, derived > 0 && derived <= MAX_POSITIONS_PER_SECOND, String.format(java.util.Locale.ROOT,
                    "rate %.0f/s cannot be reached with %d worker(s) per project at speed %s: it needs %.2f position fixes"
                            + " per worker per sim second (allowed: (0, %d]); change --workers, --speed or --sensors",
                    targetRate, workers, speed, derived, (int) MAX_POSITIONS_PER_SECOND));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid simulator configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** The defaults (see the record's parameters). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Position fixes per worker per sim second, derived from {@link #targetRate} when it is set. */
    public double effectivePositionsPerSecond() {
        if (targetRate > 0) {
            return derivedPositionsPerSecond(targetRate, speed, projectIds.size(), workers, machines, sensors,
                    sensorPeriod, equipmentPeriod, wearableFraction);
        }
        return positionsPerSecond;
    }

    /** Events per sim second across all projects with everyone on site (a steady-state estimate, incidents aside). */
    public double expectedEventsPerSimSecond() {
        return projectIds.size() * (workers * effectivePositionsPerSecond()
                + backgroundPerProject(machines, sensors, workers, sensorPeriod, equipmentPeriod, wearableFraction));
    }

    /** {@link #expectedEventsPerSimSecond()} in wall-clock terms. */
    public double expectedEventsPerWallSecond() {
        return expectedEventsPerSimSecond() * speed;
    }

    private static double derivedPositionsPerSecond(final double rate, final double speed, final int projects,
            final int workers, final int machines, final int sensors, final Duration sensorPeriod,
            final Duration equipmentPeriod, final double wearableFraction) {
        if (workers == 0) {
            return 0;
        }
        final double perProjectPerSimSecond = rate / speed / projects;
        return (perProjectPerSimSecond - backgroundPerProject(machines, sensors, workers, sensorPeriod, equipmentPeriod,
                wearableFraction)) / workers;
    }

    /** Events per sim second of one project that are not position fixes. */
    private static double backgroundPerProject(final int machines, final int sensors, final int workers,
            final Duration sensorPeriod, final Duration equipmentPeriod, final double wearableFraction) {
        final double sensorSeconds = sensorPeriod.toMillis() / 1000.0;
        return SensorLayout.readingsPerCycle(sensors) / sensorSeconds
                + workers * wearableFraction * SensorLayout.Kind.GAS.metrics().size() / sensorSeconds
                + machines / (equipmentPeriod.toMillis() / 1000.0);
    }

    private static boolean period(final Duration d) {
        return d.compareTo(Duration.ofMillis(100)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0;
    }

    private static void check(final List<String> problems, final boolean ok, final String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** Mutable defaults; {@link #build()} validates. */
    public static final class Builder {
        private List<String> projectIds = List.of("demo");
        private double originLat = 51.5072;
        private double originLng = -0.1276;
        private double siteWidthM = 400;
        private double siteDepthM = 300;
        private int workers = 200;
        private int machines = 8;
        private int sensors = 40;
        private double speed = 1.0;
        private long seed = 42;
        private double positionsPerSecond = 1.0;
        private Duration sensorPeriod = Duration.ofSeconds(5);
        private Duration equipmentPeriod = Duration.ofSeconds(2);
        private double targetRate;
        private double wearableFraction = 0.2;
        private Duration shiftLength = Duration.ofHours(8);
        private Duration startInShift = Duration.ZERO;
        private List<IncidentSpec> incidents = IncidentSpec.DEFAULT_SCENARIO;
        private Duration duration = Duration.ZERO;
        private long startTimeMs;
        private int maxInFlight = 10_000;
        private Duration progressInterval = Duration.ofSeconds(5);

        Builder() {
        }

        Builder(final SimulatorConfig c) {
            projectIds = c.projectIds;
            originLat = c.originLat;
            originLng = c.originLng;
            siteWidthM = c.siteWidthM;
            siteDepthM = c.siteDepthM;
            workers = c.workers;
            machines = c.machines;
            sensors = c.sensors;
            speed = c.speed;
            seed = c.seed;
            positionsPerSecond = c.positionsPerSecond;
            sensorPeriod = c.sensorPeriod;
            equipmentPeriod = c.equipmentPeriod;
            targetRate = c.targetRate;
            wearableFraction = c.wearableFraction;
            shiftLength = c.shiftLength;
            startInShift = c.startInShift;
            incidents = c.incidents;
            duration = c.duration;
            startTimeMs = c.startTimeMs;
            maxInFlight = c.maxInFlight;
            progressInterval = c.progressInterval;
        }

        public Builder projectIds(final List<String> v) {
            projectIds = v;
            return this;
        }

        public Builder origin(final double lat, final double lng) {
            originLat = lat;
            originLng = lng;
            return this;
        }

        public Builder siteSize(final double widthM, final double depthM) {
            siteWidthM = widthM;
            siteDepthM = depthM;
            return this;
        }

        public Builder workers(final int v) {
            workers = v;
            return this;
        }

        public Builder machines(final int v) {
            machines = v;
            return this;
        }

        public Builder sensors(final int v) {
            sensors = v;
            return this;
        }

        public Builder speed(final double v) {
            speed = v;
            return this;
        }

        public Builder seed(final long v) {
            seed = v;
            return this;
        }

        public Builder positionsPerSecond(final double v) {
            positionsPerSecond = v;
            return this;
        }

        public Builder sensorPeriod(final Duration v) {
            sensorPeriod = v;
            return this;
        }

        public Builder equipmentPeriod(final Duration v) {
            equipmentPeriod = v;
            return this;
        }

        public Builder targetRate(final double v) {
            targetRate = v;
            return this;
        }

        public Builder wearableFraction(final double v) {
            wearableFraction = v;
            return this;
        }

        public Builder shiftLength(final Duration v) {
            shiftLength = v;
            return this;
        }

        public Builder startInShift(final Duration v) {
            startInShift = v;
            return this;
        }

        public Builder incidents(final List<IncidentSpec> v) {
            incidents = v;
            return this;
        }

        public Builder duration(final Duration v) {
            duration = v;
            return this;
        }

        public Builder startTimeMs(final long v) {
            startTimeMs = v;
            return this;
        }

        public Builder maxInFlight(final int v) {
            maxInFlight = v;
            return this;
        }

        public Builder progressInterval(final Duration v) {
            progressInterval = v;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(projectIds, originLat, originLng, siteWidthM, siteDepthM, workers, machines, sensors,
                    speed, seed, positionsPerSecond, sensorPeriod, equipmentPeriod, targetRate, wearableFraction,
                    shiftLength, startInShift, incidents, duration, startTimeMs, maxInFlight, progressInterval);
        }
    }
}
