package io.sitewire.simulator;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.EquipmentType;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated site: its workers, machines and sensors, their day, and the incidents played on it. Every behaviour is
 * an {@link Agenda} action; random choices come from per-entity generators split from the seed in creation order, so
 * the run is reproducible and one worker's choices do not shift another's.
 */
final class ProjectSite {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectSite.class);

    static final long SECOND = 1000;
    static final long MINUTE = 60 * SECOND;
    static final long DAY = 24 * 60 * MINUTE;
    /** Workers arrive during this window at the start of the shift and leave during it at the end. */
    static final long ARRIVAL_WINDOW = 90 * SECOND;
    static final double CO_PEAK_PPM = 320;
    static final long CO_RAMP = 4 * MINUTE;
    static final long CO_HOLD = 2 * MINUTE;
    static final long CO_DECAY = 4 * MINUTE;
    static final long INCIDENT_RETRY = 10 * SECOND;
    static final int INCIDENT_MAX_TRIES = 60;
    static final String SUPERVISOR = "site-supervisor";

    /** Trades, how common they are, and the zones their crews work in. */
    private record Trade(String name, double weight, List<String> zones) {
    }

    private static final List<Trade> TRADES = List.of(
            new Trade("electrician", 0.20, List.of(SitePlan.BASEMENT, "level-1", "level-2", "level-3", "level-4")),
            new Trade("ironworker", 0.15, List.of("level-2", "level-3", "level-4", SitePlan.LAYDOWN)),
            new Trade("carpenter", 0.20, List.of("level-1", "level-2", "level-3", "level-4")),
            new Trade("concrete", 0.15, List.of(SitePlan.BASEMENT, "level-1", "level-2")),
            new Trade("plumber", 0.10, List.of(SitePlan.BASEMENT, "level-1", "level-2", "level-3")),
            new Trade("laborer", 0.20, List.of(SitePlan.LAYDOWN, SitePlan.BASEMENT, "level-1")));

    /** Machine types in the order machines are added; after these, {@link #MORE_MACHINES} repeat (no more cranes). */
    private static final List<EquipmentType> FIRST_MACHINES = List.of(EquipmentType.CRANE, EquipmentType.EXCAVATOR,
            EquipmentType.LOADER, EquipmentType.DUMP_TRUCK, EquipmentType.CRANE, EquipmentType.EXCAVATOR,
            EquipmentType.FORKLIFT, EquipmentType.CONCRETE_PUMP);
    private static final List<EquipmentType> MORE_MACHINES = List.of(EquipmentType.EXCAVATOR, EquipmentType.LOADER,
            EquipmentType.DUMP_TRUCK, EquipmentType.FORKLIFT, EquipmentType.CONCRETE_PUMP, EquipmentType.BULLDOZER);

    private final String projectId;
    private final SitePlan plan;
    private final SimulatorConfig config;
    private final Agenda agenda;
    private final Consumer<SpecificRecord> out;
    private final Consumer<FiredIncident> fired;
    private final long start;
    private final long firstShiftStart;
    private final long shiftLength;
    private final long positionPeriod;
    private final long sensorPeriod;
    private final long equipmentPeriod;
    private final SplittableRandom incidentRng;
    private final SplittableRandom crewRng;
    private final List<SimWorker> workers = new ArrayList<>();
    private final List<SimMachine> machines = new ArrayList<>();
    private final List<SimSensor> sensors = new ArrayList<>();
    private final List<String> crewTrade = new ArrayList<>();

    /** The running evacuation's id, or null. */
    private String evacuation;
    private long coStart = -1;

    ProjectSite(final String projectId, final SitePlan plan, final SimulatorConfig config, final long start,
            final SplittableRandom random, final Agenda agenda, final Consumer<SpecificRecord> out,
            final Consumer<FiredIncident> fired) {
        this.projectId = projectId;
        this.plan = plan;
        this.config = config;
        this.agenda = agenda;
        this.out = out;
        this.fired = fired;
        this.start = start;
        this.shiftLength = config.shiftLength().toMillis();
        this.firstShiftStart = start - config.startInShift().toMillis();
        this.positionPeriod = Math.max(20, Math.round(1000 / config.effectivePositionsPerSecond()));
        this.sensorPeriod = config.sensorPeriod().toMillis();
        this.equipmentPeriod = config.equipmentPeriod().toMillis();
        this.incidentRng = random.split();
        this.crewRng = random.split();
        createWorkers(random.split());
        createMachines(random.split());
        createSensors(random.split());
    }

    String projectId() {
        return projectId;
    }

    SitePlan plan() {
        return plan;
    }

    // ---------------------------------------------------------------- creation

    private void createWorkers(final SplittableRandom random) {
        final int digits = Math.max(4, Integer.toString(config.workers()).length());
        int crew = -1;
        int crewLeft = 0;
        for (int i = 0; i < config.workers(); i++) {
            if (crewLeft == 0) {
                crew++;
                crewLeft = 4 + crewRng.nextInt(5);
                crewTrade.add(pickTrade(crewRng.nextDouble()));
            }
            crewLeft--;
            final SplittableRandom rng = random.split();
            final boolean monitor = rng.nextDouble() < config.wearableFraction();
            final String id = String.format(Locale.ROOT, "w%0" + digits + "d", i + 1);
            workers.add(new SimWorker(id, crewTrade.get(crew), crew, rng, monitor, positionPeriod, sensorPeriod,
                    SensorLayout.Kind.GAS.metrics().size()));
        }
    }

    private static String pickTrade(final double u) {
        double acc = 0;
        for (final Trade t : TRADES) {
            acc += t.weight();
            if (u < acc) {
                return t.name();
            }
        }
        return TRADES.get(TRADES.size() - 1).name();
    }

    private static Trade trade(final String name) {
        return TRADES.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private void createMachines(final SplittableRandom random) {
        int cranes = 0;
        for (int i = 0; i < config.machines(); i++) {
            final EquipmentType type = i < FIRST_MACHINES.size() ? FIRST_MACHINES.get(i)
                    : MORE_MACHINES.get((i - FIRST_MACHINES.size()) % MORE_MACHINES.size());
            final SplittableRandom rng = random.split();
            final double[] at;
            if (type == EquipmentType.CRANE) {
                at = plan.craneMasts().get(cranes++);
            } else {
                at = plan.machineArea().randomPoint(rng, 0);
            }
            final String id = type.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + (i + 1);
            machines.add(new SimMachine(id, type, radius(type, rng), travelRange(type), rng, rng.nextLong(equipmentPeriod),
                    at[0], at[1]));
        }
    }

    /** Safety radius: tower crane 40-60 m (swing radius), excavator 8-12 m (reach), others their working envelope. */
    private static double radius(final EquipmentType type, final SplittableRandom rng) {
        final double[] range = switch (type) {
            case CRANE -> new double[] {40, 60};
            case EXCAVATOR -> new double[] {8, 12};
            case LOADER, BULLDOZER -> new double[] {6, 9};
            case DUMP_TRUCK -> new double[] {6, 8};
            case FORKLIFT -> new double[] {4, 6};
            case CONCRETE_PUMP -> new double[] {10, 15};
            default -> new double[] {5, 8};
        };
        return Math.round((range[0] + rng.nextDouble() * (range[1] - range[0])) * 10) / 10.0;
    }

    private static double travelRange(final EquipmentType type) {
        return switch (type) {
            case CRANE, CONCRETE_PUMP -> 0;
            case EXCAVATOR -> 8;
            case LOADER, FORKLIFT -> 35;
            case BULLDOZER -> 30;
            case DUMP_TRUCK -> 80;
            default -> 20;
        };
    }

    private void createSensors(final SplittableRandom random) {
        for (int i = 0; i < config.sensors(); i++) {
            final SensorLayout.Placement p = SensorLayout.placement(i);
            final SplittableRandom rng = random.split();
            final SimSensor s = new SimSensor(p.kind().prefix() + "-" + p.zone() + "-" + (i + 1), p.zone(), p.kind(), rng,
                    rng.nextLong(sensorPeriod));
            for (int m = 0; m < s.values.length; m++) {
                s.values[m] = Air.baseline(p.kind().metrics().get(m), p.zone(), working(start));
            }
            sensors.add(s);
        }
    }

    // ---------------------------------------------------------------- start

    void schedule(final List<IncidentSpec> incidents) {
        for (final SimWorker w : workers) {
            scheduleDay(w, 0);
        }
        for (final SimMachine m : machines) {
            scheduleMachineDay(m, 0);
            agenda.at(start + m.statusPhaseMs, t -> machineReport(m, t));
        }
        for (final SimSensor s : sensors) {
            agenda.at(start + s.phaseMs, t -> sensorReading(s, t));
        }
        for (final IncidentSpec incident : incidents) {
            if (incident.appliesTo(projectId)) {
                final long at = start + incident.at().toMillis();
                agenda.at(at, t -> fire(incident, at, t, 1));
            }
        }
    }

    private long shiftStart(final int day) {
        return firstShiftStart + day * DAY;
    }

    /** Whether work is going on (dust and noise baselines are higher then). */
    private boolean working(final long t) {
        final long intoDay = Math.floorMod(t - firstShiftStart, DAY);
        return intoDay < shiftLength;
    }

    // ---------------------------------------------------------------- the worker's day

    private void scheduleDay(final SimWorker w, final int day) {
        final long shiftStart = shiftStart(day);
        final long arrive = Math.max(start, shiftStart + w.rng.nextLong(ARRIVAL_WINDOW));
        final long leave = shiftStart + shiftLength - ARRIVAL_WINDOW + w.rng.nextLong(ARRIVAL_WINDOW);
        final List<long[]> breaks = new ArrayList<>();
        if (shiftLength >= 4 * 60 * MINUTE) {
            breaks.add(breakAt(w, shiftStart, 0.20, 0.30, 15 * MINUTE));
            breaks.add(breakAt(w, shiftStart, 0.45, 0.55, 30 * MINUTE));
        } else {
            breaks.add(breakAt(w, shiftStart, 0.45, 0.55, shiftLength / 16));
        }
        w.day = day;
        w.leaveAt = leave;
        if (leave <= arrive) {
            agenda.at(shiftStart + DAY - MINUTE, t -> scheduleDay(w, day + 1));
            return;
        }
        agenda.at(arrive, t -> checkIn(w, day, t));
        for (final long[] b : breaks) {
            if (b[0] > arrive && b[1] < leave) {
                agenda.at(b[0], t -> startBreak(w, b[1], t));
            }
        }
        agenda.at(leave, t -> leave(w, day, t));
    }

    /** A break of {@code length} starting at a random point between fractions {@code from} and {@code to} of the shift. */
    private long[] breakAt(final SimWorker w, final long shiftStart, final double from, final double to,
            final long length) {
        final long begin = shiftStart + Math.round(shiftLength * (from + w.rng.nextDouble() * (to - from)));
        return new long[] {begin, begin + length};
    }

    private void checkIn(final SimWorker w, final int day, final long now) {
        if (w.retired || w.checkedIn || w.day != day) {
            return;
        }
        if (evacuation != null) {
            // Nobody enters a site being evacuated: wait at the gate until the all-clear.
            agenda.at(now + MINUTE, t -> checkIn(w, day, t));
            return;
        }
        final double[] p = plan.zone(SitePlan.GATE).area().randomPoint(w.rng, 2);
        w.place(now, p[0], p[1], null);
        w.checkedIn = true;
        w.state = SimWorker.State.WORKING;
        w.token++;
        presence(w, PresenceAction.CHECK_IN, WorkerStatus.ACTIVE, now);
        startPositions(w, now);
        startMonitor(w, now);
        later(w, now + 5 * SECOND + w.rng.nextLong(15 * SECOND), t -> nextActivity(w, t));
    }

    /** Walk somewhere to work, stay a while, repeat: mostly in the crew's zone of the day, sometimes the laydown yard. */
    private void nextActivity(final SimWorker w, final long now) {
        if (w.state != SimWorker.State.WORKING) {
            return;
        }
        final Trade trade = trade(w.trade);
        final double u = w.rng.nextDouble();
        final String zone;
        final long dwell;
        if (u < 0.70) {
            zone = crewZone(w.crew, now);
            dwell = 30 * SECOND + w.rng.nextLong(5 * MINUTE);
        } else if (u < 0.85) {
            zone = SitePlan.LAYDOWN;
            dwell = 20 * SECOND + w.rng.nextLong(100 * SECOND);
        } else {
            zone = trade.zones().get(w.rng.nextInt(trade.zones().size()));
            dwell = 30 * SECOND + w.rng.nextLong(3 * MINUTE);
        }
        final double[] p = plan.zone(zone).area().randomPoint(w.rng, 3);
        final String level = SitePlan.LEVELS.contains(zone) ? zone : null;
        final long arrival = w.walkTo(now, p[0], p[1], level, w.walkSpeed);
        later(w, arrival + dwell, t -> nextActivity(w, t));
    }

    /** The zone a crew works in on a given day: a pure function of seed, crew and day, so it needs no state. */
    private String crewZone(final int crew, final long now) {
        final long day = Math.floorDiv(now - firstShiftStart, DAY);
        final List<String> zones = trade(crewTrade.get(crew)).zones();
        final long mix = config.seed() * 0x9E3779B97F4A7C15L + crew * 0xBF58476D1CE4E5B9L + day * 0x94D049BB133111EBL
                + projectId.hashCode();
        return zones.get((int) Math.floorMod(new SplittableRandom(mix).nextLong(), (long) zones.size()));
    }

    private void startBreak(final SimWorker w, final long end, final long now) {
        if (w.state != SimWorker.State.WORKING || evacuation != null) {
            return;
        }
        w.token++;
        w.state = SimWorker.State.BREAK;
        presence(w, PresenceAction.STATUS, WorkerStatus.BREAK, now);
        final double[] p = plan.zone(SitePlan.WELFARE).area().randomPoint(w.rng, 2);
        w.walkTo(now, p[0], p[1], null, w.walkSpeed);
        later(w, end, t -> {
            w.state = SimWorker.State.WORKING;
            presence(w, PresenceAction.STATUS, WorkerStatus.ACTIVE, t);
            nextActivity(w, t);
        });
    }

    private void leave(final SimWorker w, final int day, final long now) {
        if (w.retired) {
            return;
        }
        if (!w.checkedIn) {
            scheduleDay(w, day + 1);
            return;
        }
        if (evacuation != null || w.state == SimWorker.State.CRANE_WALK) {
            agenda.at(now + MINUTE, t -> leave(w, day, t));
            return;
        }
        w.token++;
        w.state = SimWorker.State.LEAVING;
        final double[] p = plan.zone(SitePlan.GATE).area().randomPoint(w.rng, 2);
        final long arrival = w.walkTo(now, p[0], p[1], null, w.walkSpeed);
        later(w, arrival, t -> {
            checkOut(w, t);
            scheduleDay(w, day + 1);
        });
    }

    private void checkOut(final SimWorker w, final long now) {
        presence(w, PresenceAction.CHECK_OUT, WorkerStatus.OFFSITE, now);
        w.checkedIn = false;
        w.state = SimWorker.State.OFFSITE;
        w.token++;
    }

    /**
     * The end of the simulation: every worker still checked in (including one playing a missing worker) checks out at
     * {@code now}, so the site's state says nobody is left on a site that no longer sends anything. Returns how many.
     */
    int checkOutEveryone(final long now) {
        int count = 0;
        for (final SimWorker w : workers) {
            if (w.checkedIn) {
                checkOut(w, now);
                w.retired = true;
                count++;
            }
        }
        return count;
    }

    /** Runs the action unless the worker's plan changed in between. */
    private void later(final SimWorker w, final long time, final Agenda.Action action) {
        final int token = w.token;
        agenda.at(time, t -> {
            if (w.token == token) {
                action.run(t);
            }
        });
    }

    // ---------------------------------------------------------------- what a worker sends

    private void startPositions(final SimWorker w, final long now) {
        if (!w.positionsRunning) {
            w.positionsRunning = true;
            agenda.at(now + w.positionPhaseMs, t -> positionFix(w, t));
        }
    }

    private void positionFix(final SimWorker w, final long now) {
        if (!w.checkedIn || w.silent) {
            w.positionsRunning = false;
            return;
        }
        final double x = w.x(now);
        final double y = w.y(now);
        // A tag's error: Gaussian, bounded by its stated accuracy, never off the site.
        final double ex = bounded(w.rng.nextGaussian() * w.accuracyM / 2, w.accuracyM);
        final double ey = bounded(w.rng.nextGaussian() * w.accuracyM / 2, w.accuracyM);
        final double rx = plan.site().clampX(x + ex);
        final double ry = plan.site().clampY(y + ey);
        out.accept(new WorkerPosition(projectId, w.id, plan.lat(ry), plan.lng(rx), Math.round(w.accuracyM * 10) / 10.0,
                plan.zoneAt(x, y, w.levelAt(now)), now));
        agenda.at(now + positionPeriod, t -> positionFix(w, t));
    }

    private static double bounded(final double v, final double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    private void startMonitor(final SimWorker w, final long now) {
        if (w.wearsMonitor && !w.monitorRunning) {
            w.monitorRunning = true;
            final String zone = plan.zoneAt(w.x(now), w.y(now), w.levelAt(now));
            final List<Metric> metrics = SensorLayout.Kind.GAS.metrics();
            for (int i = 0; i < metrics.size(); i++) {
                w.monitorValues[i] = Air.baseline(metrics.get(i), zone, working(now));
            }
            agenda.at(now + w.monitorPhaseMs, t -> monitorReading(w, t));
        }
    }

    /** A personal 4-gas monitor: readings of the air where the worker is, tagged with the worker. */
    private void monitorReading(final SimWorker w, final long now) {
        if (!w.checkedIn || w.silent) {
            w.monitorRunning = false;
            return;
        }
        final String zone = plan.zoneAt(w.x(now), w.y(now), w.levelAt(now));
        final List<Metric> metrics = SensorLayout.Kind.GAS.metrics();
        final boolean working = working(now);
        for (int i = 0; i < metrics.size(); i++) {
            final Metric metric = metrics.get(i);
            w.monitorValues[i] = Air.step(w.monitorValues[i], metric, Air.baseline(metric, zone, working),
                    sensorPeriod / 1000.0, w.rng);
            out.accept(new SensorReading(projectId, "pgm-" + w.id, zone, metric,
                    Air.reported(metric, w.monitorValues[i] + incidentOffset(metric, zone, now)), w.id, now));
        }
        agenda.at(now + sensorPeriod, t -> monitorReading(w, t));
    }

    private void presence(final SimWorker w, final PresenceAction action, final WorkerStatus status, final long now) {
        out.accept(WorkerPresence.newBuilder()
                .setProjectId(projectId)
                .setWorkerId(w.id)
                .setAction(action)
                .setStatus(status)
                .setZone(plan.zoneAt(w.x(now), w.y(now), w.levelAt(now)))
                .setTrade(w.trade)
                .setDeviceIds(w.deviceIds)
                .setEventTime(now)
                .build());
    }

    // ---------------------------------------------------------------- fixed sensors

    private void sensorReading(final SimSensor s, final long now) {
        final List<Metric> metrics = s.kind.metrics();
        final boolean working = working(now);
        for (int i = 0; i < metrics.size(); i++) {
            final Metric metric = metrics.get(i);
            s.values[i] = Air.step(s.values[i], metric, Air.baseline(metric, s.zone, working), sensorPeriod / 1000.0, s.rng);
            out.accept(new SensorReading(projectId, s.id, s.zone, metric,
                    Air.reported(metric, s.values[i] + incidentOffset(metric, s.zone, now)), null, now));
        }
        agenda.at(now + sensorPeriod, t -> sensorReading(s, t));
    }

    /** What an incident adds to a reading: the CO build-up in the basement (and the oxygen it displaces). */
    private double incidentOffset(final Metric metric, final String zone, final long now) {
        if (coStart < 0 || !SitePlan.BASEMENT.equals(zone) || now < coStart) {
            return 0;
        }
        final long dt = now - coStart;
        final double fraction;
        if (dt < CO_RAMP) {
            fraction = dt / (double) CO_RAMP;
        } else if (dt < CO_RAMP + CO_HOLD) {
            fraction = 1;
        } else if (dt < CO_RAMP + CO_HOLD + CO_DECAY) {
            fraction = 1 - (dt - CO_RAMP - CO_HOLD) / (double) CO_DECAY;
        } else {
            fraction = 0;
        }
        return switch (metric) {
            case co_ppm -> CO_PEAK_PPM * fraction;
            case o2_pct -> -0.4 * fraction;
            default -> 0;
        };
    }

    // ---------------------------------------------------------------- machines

    private void scheduleMachineDay(final SimMachine m, final int day) {
        final long shiftStart = shiftStart(day);
        final long begin = Math.max(start, shiftStart + MINUTE + m.rng.nextLong(3 * MINUTE));
        final long end = shiftStart + shiftLength - m.rng.nextLong(3 * MINUTE) - MINUTE;
        if (end > begin) {
            agenda.at(begin, t -> {
                m.inShift = true;
                if (m.forcedUntil <= t) {
                    machineLater(m, t, u -> operate(m, u));
                }
            });
            agenda.at(end, t -> {
                m.inShift = false;
                if (m.forcedUntil <= t) {
                    m.token++;
                    idle(m, t);
                }
            });
        }
        agenda.at(shiftStart + DAY - MINUTE, t -> scheduleMachineDay(m, day + 1));
    }

    private void machineLater(final SimMachine m, final long time, final Agenda.Action action) {
        final int token = m.token;
        agenda.at(time, t -> {
            if (m.token == token) {
                action.run(t);
            }
        });
    }

    /** A work period: operational, then alternating slews (or travel legs) and holds. */
    private void operate(final SimMachine m, final long now) {
        if (!m.inShift || evacuation != null) {
            return;
        }
        m.status = EquipmentState.OPERATIONAL;
        m.moving = false;
        m.cyclesLeft = 3 + m.rng.nextInt(6);
        status(m, now);
        machineLater(m, now + 5 * SECOND + m.rng.nextLong(15 * SECOND), t -> slew(m, t));
    }

    private void slew(final SimMachine m, final long now) {
        m.moving = true;
        long until = now + 20 * SECOND + m.rng.nextLong(40 * SECOND);
        if (m.travelRangeM > 0) {
            final Rect area = plan.machineArea();
            final double angle = m.rng.nextDouble() * 2 * Math.PI;
            final double distance = m.rng.nextDouble() * m.travelRangeM;
            final double x = area.clampX(m.x(now) + Math.cos(angle) * distance);
            final double y = area.clampY(m.y(now) + Math.sin(angle) * distance);
            until = Math.max(until, m.travelTo(now, x, y, 1 + m.rng.nextDouble() * 2));
        }
        status(m, now);
        machineLater(m, until, t -> hold(m, t));
    }

    private void hold(final SimMachine m, final long now) {
        m.moving = false;
        m.stop(now);
        status(m, now);
        if (--m.cyclesLeft > 0) {
            machineLater(m, now + 15 * SECOND + m.rng.nextLong(30 * SECOND), t -> slew(m, t));
        } else {
            machineLater(m, now + 15 * SECOND + m.rng.nextLong(30 * SECOND), t -> {
                idle(m, t);
                machineLater(m, t + MINUTE + m.rng.nextLong(3 * MINUTE), u -> operate(m, u));
            });
        }
    }

    private void idle(final SimMachine m, final long now) {
        m.stop(now);
        if (m.status != EquipmentState.IDLE || m.moving) {
            m.status = EquipmentState.IDLE;
            m.moving = false;
            status(m, now);
        }
    }

    /** The periodic report, whatever the state. */
    private void machineReport(final SimMachine m, final long now) {
        status(m, now);
        agenda.at(now + equipmentPeriod, t -> machineReport(m, t));
    }

    private void status(final SimMachine m, final long now) {
        final double x = m.x(now);
        final double y = m.y(now);
        out.accept(new EquipmentStatus(projectId, m.id, m.type, m.status, m.moving, m.operating() ? "op-" + m.id : null,
                plan.lat(y), plan.lng(x), m.radiusM, now));
    }

    // ---------------------------------------------------------------- incidents

    /** What an incident did: who and what it involves, and a sentence; or why it was skipped. */
    private record Outcome(String workerId, String equipmentId, String detail, boolean skipped) {
        static Outcome of(final String workerId, final String equipmentId, final String detail) {
            return new Outcome(workerId, equipmentId, detail, false);
        }

        static Outcome skipped(final String why) {
            return new Outcome(null, null, why, true);
        }
    }

    private void fire(final IncidentSpec incident, final long plannedAt, final long now, final int attempt) {
        final Outcome outcome = switch (incident.kind()) {
            case CRANE_WALK -> craneWalk(now);
            case CO_BUILDUP -> coBuildup(now);
            case FALL -> fall(now);
            case MISSING_WORKER -> missingWorker(now);
            case EVACUATION -> evacuate(now);
        };
        if (outcome == null) {
            if (attempt < INCIDENT_MAX_TRIES) {
                agenda.at(now + INCIDENT_RETRY, t -> fire(incident, plannedAt, t, attempt + 1));
            } else {
                LOG.warn("{} in {}: gave up after {} tries (no worker on site, or an evacuation in the way)", incident,
                        projectId, attempt);
            }
            return;
        }
        if (outcome.skipped()) {
            LOG.warn("{} in {}: skipped, {}", incident, projectId, outcome.detail());
            return;
        }
        fired.accept(new FiredIncident(incident.kind(), projectId, plannedAt, now, outcome.workerId(),
                outcome.equipmentId(), outcome.detail()));
    }

    /** A worker going about their work, picked by the incident generator; null if nobody is. */
    private SimWorker pickWorker(final boolean preferUpperLevels, final long now) {
        final List<SimWorker> able = new ArrayList<>();
        final List<SimWorker> upper = new ArrayList<>();
        for (final SimWorker w : workers) {
            if (w.checkedIn && !w.silent && w.state == SimWorker.State.WORKING && w.involvedIn == null) {
                able.add(w);
                final String level = w.levelAt(now);
                if ("level-3".equals(level) || "level-4".equals(level)) {
                    upper.add(w);
                }
            }
        }
        final List<SimWorker> pool = preferUpperLevels && !upper.isEmpty() ? upper : able;
        return pool.isEmpty() ? null : pool.get(incidentRng.nextInt(pool.size()));
    }

    /**
     * A worker leaves the worker region and walks to a point at 35 % of a tower crane's radius (the inner zone), stays
     * 45 s and walks back, while the crane operates and slews. The walk goes via a waypoint level with the mast, so
     * it crosses no other machine's radius.
     */
    private Outcome craneWalk(final long now) {
        final SimMachine crane = machines.stream().filter(m -> m.type == EquipmentType.CRANE).findFirst().orElse(null);
        if (crane == null) {
            return Outcome.skipped("the site has no tower crane (--machines 0?)");
        }
        if (evacuation != null) {
            return null;
        }
        final SimWorker w = pickWorker(false, now);
        if (w == null) {
            return null;
        }
        w.token++;
        w.state = SimWorker.State.CRANE_WALK;
        w.involvedIn = IncidentKind.CRANE_WALK.cliName();
        final double mastX = crane.x(now);
        final double mastY = crane.y(now);
        final double waypointX = plan.workerRegion().maxX() - 5;
        final double targetX = mastX - 0.35 * crane.radiusM;
        final long atWaypoint = w.walkTo(now, waypointX, mastY, null, w.walkSpeed);
        later(w, atWaypoint, t -> {
            final long underCrane = w.walkTo(t, targetX, mastY, null, w.walkSpeed);
            final long until = underCrane + 45 * SECOND + MINUTE;
            forceOperating(crane, t, until);
            later(w, underCrane + 45 * SECOND, u -> {
                final long back = w.walkTo(u, waypointX, mastY, null, w.walkSpeed);
                later(w, back, v -> {
                    w.state = SimWorker.State.WORKING;
                    w.involvedIn = null;
                    nextActivity(w, v);
                });
            });
        });
        return Outcome.of(w.id, crane.id, String.format(Locale.ROOT, "worker %s (%s) walks under %s (radius %.1f m) while"
                + " it slews", w.id, w.trade, crane.id, crane.radiusM));
    }

    private void forceOperating(final SimMachine m, final long now, final long until) {
        if (evacuation != null) {
            return;
        }
        m.token++;
        m.forcedUntil = until;
        m.status = EquipmentState.OPERATIONAL;
        m.moving = true;
        status(m, now);
        machineLater(m, until, t -> {
            m.forcedUntil = 0;
            m.moving = false;
            status(m, t);
            if (m.inShift) {
                machineLater(m, t + 15 * SECOND, u -> hold(m, u));
            } else {
                idle(m, t);
            }
        });
    }

    private Outcome coBuildup(final long now) {
        coStart = now;
        return Outcome.of(null, null, String.format(Locale.ROOT, "CO in the %s rises to %.0f ppm over %d min, holds %d min, clears over %d min",
                SitePlan.BASEMENT, CO_PEAK_PPM, CO_RAMP / MINUTE, CO_HOLD / MINUTE, CO_DECAY / MINUTE));
    }

    /**
     * A fall: the tag's FALL alarm where the worker is; a supervisor sets the worker's status to EMERGENCY 30 s later;
     * 5 minutes later medics carry the worker to the gate, where they are checked out.
     */
    private Outcome fall(final long now) {
        final SimWorker w = pickWorker(true, now);
        if (w == null) {
            return null;
        }
        w.token++;
        w.state = SimWorker.State.FALLEN;
        w.involvedIn = IncidentKind.FALL.cliName();
        w.retired = true;
        w.stop(now);
        final String zone = plan.zoneAt(w.x(now), w.y(now), w.levelAt(now));
        out.accept(new WearableAlarm(projectId, w.id, w.tagId, AlarmKind.FALL, plan.lat(w.y(now)), plan.lng(w.x(now)), now));
        later(w, now + 30 * SECOND, t -> presence(w, PresenceAction.STATUS, WorkerStatus.EMERGENCY, t));
        later(w, now + 5 * MINUTE, t -> {
            w.state = SimWorker.State.CARRIED;
            final double[] p = plan.zone(SitePlan.GATE).area().randomPoint(w.rng, 2);
            final long arrival = w.walkTo(t, p[0], p[1], null, 0.8);
            later(w, arrival, u -> checkOut(w, u));
        });
        return Outcome.of(w.id, null, "worker " + w.id + " (" + w.trade + ") falls in " + zone);
    }

    private Outcome missingWorker(final long now) {
        final SimWorker w = pickWorker(false, now);
        if (w == null) {
            return null;
        }
        w.token++;
        w.state = SimWorker.State.MISSING;
        w.involvedIn = IncidentKind.MISSING_WORKER.cliName();
        w.silent = true;
        w.retired = true;
        w.stop(now);
        return Outcome.of(w.id, null, "worker " + w.id + " (" + w.trade + ") stops sending in "
                + plan.zoneAt(w.x(now), w.y(now), w.levelAt(now)) + " and stays checked in");
    }

    /**
     * EVACUATION to the muster zones: machines stop; every checked-in worker who can walk reacts within 5-20 s and walks
     * briskly to the nearest muster zone. ALL_CLEAR follows 2 minutes after the last arrival (at least 5 minutes after
     * the alarm); then work resumes.
     */
    private Outcome evacuate(final long now) {
        if (evacuation != null) {
            return Outcome.skipped("an evacuation is already running");
        }
        evacuation = "evac-" + projectId + "-" + now;
        final List<String> musters = plan.musterZones();
        out.accept(broadcast(evacuation, BroadcastKind.EVACUATION, Priority.EMERGENCY,
                "EVACUATE the site now: stop work and walk to your muster point (" + String.join(" or ", musters) + ")",
                musters, now));
        for (final SimMachine m : machines) {
            m.token++;
            m.forcedUntil = 0;
            idle(m, now);
        }
        long lastArrival = now;
        int walking = 0;
        for (final SimWorker w : workers) {
            if (!w.checkedIn || w.silent || w.state == SimWorker.State.FALLEN || w.state == SimWorker.State.CARRIED) {
                continue;
            }
            w.token++;
            w.state = SimWorker.State.EVACUATING;
            w.stop(now);
            final long react = now + 5 * SECOND + w.rng.nextLong(15 * SECOND);
            final Zone muster = plan.nearestMuster(w.x(now), w.y(now));
            final double[] p = muster.area().randomPoint(w.rng, 3);
            final double speed = 1.6 + w.rng.nextDouble() * 0.6;
            lastArrival = Math.max(lastArrival,
                    react + SimWorker.travelMs(Math.hypot(p[0] - w.x(now), p[1] - w.y(now)), speed));
            later(w, react, t -> {
                final long arrival = w.walkTo(t, p[0], p[1], null, speed);
                later(w, arrival, u -> w.state = SimWorker.State.MUSTERED);
            });
            walking++;
        }
        final String id = evacuation;
        final long allClear = Math.max(now + 5 * MINUTE, lastArrival + 2 * MINUTE);
        agenda.at(allClear, t -> allClear(id, t));
        return Outcome.of(null, null, String.format(Locale.ROOT, "%d workers walk to %s; ALL_CLEAR at +%ds", walking,
                musters, (allClear - now) / 1000));
    }

    private void allClear(final String id, final long now) {
        out.accept(broadcast(id + "-clear", BroadcastKind.ALL_CLEAR, Priority.HIGH,
                "ALL CLEAR: roll-call complete, return to work", List.of(), now));
        evacuation = null;
        for (final SimWorker w : workers) {
            if (w.state == SimWorker.State.EVACUATING || w.state == SimWorker.State.MUSTERED) {
                w.token++;
                w.state = SimWorker.State.WORKING;
                w.involvedIn = null;
                if (now >= w.leaveAt) {
                    // The shift ended during the evacuation: go home instead of back to work.
                    leave(w, w.day, now);
                } else {
                    later(w, now + 10 * SECOND + w.rng.nextLong(50 * SECOND), t -> nextActivity(w, t));
                }
            }
        }
        for (final SimMachine m : machines) {
            machineLater(m, now + 30 * SECOND + m.rng.nextLong(90 * SECOND), t -> operate(m, t));
        }
    }

    private ManualBroadcast broadcast(final String id, final BroadcastKind kind, final Priority priority,
            final String message, final List<String> musters, final long now) {
        return ManualBroadcast.newBuilder()
                .setProjectId(projectId)
                .setBroadcastId(id)
                .setKind(kind)
                .setPriority(priority)
                .setTargetScope(TargetScope.PROJECT)
                .setTarget(null)
                .setMessage(message)
                .setIssuedBy(SUPERVISOR)
                .setMusterZones(musters)
                .setEventTime(now)
                .build();
    }

    /** Checked-in workers and what they are doing, for tests and the progress line. */
    Map<String, SimWorker.State> workerStates() {
        final Map<String, SimWorker.State> states = new java.util.TreeMap<>();
        workers.forEach(w -> states.put(w.id, w.state));
        return states;
    }
}
