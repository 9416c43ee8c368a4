package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerStatus;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.EventValidation;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SiteModelTest {

    private static List<IncidentSpec> only(final String... incidents) {
        return java.util.Arrays.stream(incidents).map(IncidentSpec::parse).toList();
    }

    @Test
    void theSameSeedGivesTheSameEventsHoweverTimeIsSliced() {
        // Given one configuration (default scenario) and a fixed start
        final SimulatorConfig config = ModelRun.small().seed(7).build();
        final long end = ModelRun.START + Duration.ofMinutes(13).toMillis();

        // When one model is stepped second by second and another in random slices with random event limits
        final SiteModel even = new SiteModel(config, ModelRun.START);
        final List<SpecificRecord> a = new ArrayList<>();
        for (long t = ModelRun.START; t <= end; t += 1000) {
            a.addAll(even.step(t));
        }
        final SiteModel ragged = new SiteModel(config, ModelRun.START);
        final List<SpecificRecord> b = new ArrayList<>();
        final Random slicer = new Random(99);
        while (ragged.time() < end) {
            final long next = Math.min(end, ragged.time() + 1 + slicer.nextInt(30_000));
            b.addAll(ragged.step(next, 1 + slicer.nextInt(500)));
        }

        // Then both produced exactly the same sequence, with every kind of input event in it
        assertThat(b).hasSize(a.size()).isEqualTo(a);
        final Set<EventType> types = EnumSet.noneOf(EventType.class);
        a.forEach(e -> types.add(EventType.of(e)));
        assertThat(types).containsExactlyInAnyOrder(EventType.WORKER_POSITION, EventType.WORKER_PRESENCE,
                EventType.EQUIPMENT_STATUS, EventType.SENSOR_READING, EventType.WEARABLE_ALARM, EventType.MANUAL_BROADCAST);
        assertThat(even.incidentsFired()).isEqualTo(ragged.incidentsFired()).hasSize(5);

        // And another seed gives another run
        final SiteModel other = new SiteModel(config.toBuilder().seed(8).build(), ModelRun.START);
        assertThat(other.step(end)).isNotEqualTo(a);
    }

    @Test
    void eventsComeInEventTimeOrderWithinTheStepAndTheRun() {
        // Given a default run
        final ModelRun run = ModelRun.of(ModelRun.small().build(), Duration.ofMinutes(10));

        // Then event times never go backwards and none is after the end
        long last = 0;
        for (final SpecificRecord e : run.events) {
            final long t = eventTime(e);
            assertThat(t).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(ModelRun.START + Duration.ofMinutes(10).toMillis());
            last = t;
        }
    }

    @Test
    void workersStayWithinTheSiteAndOutOfOperatingMachinesSaveForTheCraneWalk() {
        for (final long seed : new long[] {1, 2, 3}) {
            // Given runs of several seeds with every incident, two projects and a full crew
            final SimulatorConfig config = ModelRun.small().seed(seed).workers(120)
                    .projectIds(List.of("north-" + seed, "south-" + seed)).build();
            final ModelRun run = ModelRun.of(config, Duration.ofMinutes(15));
            final Map<String, String> craneWalkers = new HashMap<>();
            run.model.incidentsFired().stream().filter(i -> i.kind() == IncidentKind.CRANE_WALK)
                    .forEach(i -> craneWalkers.put(i.projectId(), i.workerId()));
            assertThat(craneWalkers).hasSize(2);

            // Then every position fix lies on the site, and only the crane-walk worker is ever inside the radius of an
            // operating machine
            final Set<String> inside = new HashSet<>();
            run.replayPositions((p, machines) -> {
                final SitePlan plan = run.model.plan(p.getProjectId());
                // 1 mm of slack for the round trip metres -> degrees -> metres of a fix clamped onto the boundary
                final Rect site = plan.site();
                assertThat(new Rect(site.minX() - 1e-3, site.minY() - 1e-3, site.maxX() + 1e-3, site.maxY() + 1e-3)
                        .contains(plan.x(p.getLng()), plan.y(p.getLat())))
                        .as("%s at %s,%s on the site of %s", p.getWorkerId(), p.getLat(), p.getLng(), p.getProjectId())
                        .isTrue();
                for (final EquipmentStatus m : machines) {
                    if (m.getStatus() == EquipmentState.OPERATIONAL && ModelRun.distanceM(p, m) <= m.getSafetyRadiusM()) {
                        inside.add(p.getProjectId() + "/" + p.getWorkerId());
                    }
                }
            });
            assertThat(inside).as("seed %d", seed).containsExactlyInAnyOrder(
                    "north-" + seed + "/" + craneWalkers.get("north-" + seed),
                    "south-" + seed + "/" + craneWalkers.get("south-" + seed));
        }
    }

    @Test
    void theCraneWalkPutsAWorkerInsideTheInnerZoneOfAnOperatingSlewingCrane() {
        // Given a run with the crane-walk only
        final ModelRun run = ModelRun.of(ModelRun.small().incidents(only("crane-walk@60s")).build(), Duration.ofMinutes(10));
        final FiredIncident walk = run.fired(IncidentKind.CRANE_WALK);
        assertThat(walk.equipmentId()).startsWith("crane-");

        // When its worker's fixes are compared with the crane's latest status at each fix
        final List<Double> insideWhileSlewing = new ArrayList<>();
        run.replayPositions((p, machines) -> {
            if (!p.getWorkerId().equals(walk.workerId())) {
                return;
            }
            machines.stream().filter(m -> m.getEquipmentId().equals(walk.equipmentId())).forEach(crane -> {
                final double d = ModelRun.distanceM(p, crane);
                if (crane.getStatus() == EquipmentState.OPERATIONAL && crane.getMoving() && d <= crane.getSafetyRadiusM()) {
                    insideWhileSlewing.add(d / crane.getSafetyRadiusM());
                }
            });
        });

        // Then the worker stood inside its radius while it slewed, for many fixes, some within half the radius
        assertThat(insideWhileSlewing).hasSizeGreaterThan(30);
        assertThat(insideWhileSlewing.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(0.5);
        final EquipmentStatus crane = run.all(EquipmentStatus.class).stream()
                .filter(e -> e.getEquipmentId().equals(walk.equipmentId())).findFirst().orElseThrow();
        assertThat(crane.getSafetyRadiusM()).isBetween(40.0, 60.0);
    }

    @Test
    void theCoBuildupExceeds200PpmInTheBasementAtItsPeakAndClearsAfterwards() {
        // Given a run with the CO build-up at +2 min, long enough for it to clear
        final ModelRun run = ModelRun.of(ModelRun.small().incidents(only("co-buildup@2m")).build(), Duration.ofMinutes(20));
        final long fired = run.fired(IncidentKind.CO_BUILDUP).firedAtMs();
        final List<SensorReading> basementCo = run.all(SensorReading.class).stream()
                .filter(r -> r.getMetric() == Metric.co_ppm && r.getZone().equals(SitePlan.BASEMENT) && r.getWorkerId() == null)
                .toList();

        // Then before it the basement air is below the 35 ppm NIOSH REL, at its peak above the 200 ppm ceiling, and
        // once it has cleared below 35 again; no other zone is affected
        assertThat(basementCo.stream().filter(r -> r.getEventTime() < fired).mapToDouble(SensorReading::getValue).max()
                .orElseThrow()).isLessThan(35);
        final double peak = basementCo.stream().mapToDouble(SensorReading::getValue).max().orElseThrow();
        assertThat(peak).isGreaterThan(200);
        final SensorReading atPeak = basementCo.stream().filter(r -> r.getValue() == peak).findFirst().orElseThrow();
        assertThat(atPeak.getEventTime() - fired).isBetween(ProjectSite.CO_RAMP - 60_000, ProjectSite.CO_RAMP + ProjectSite.CO_HOLD);
        final long cleared = fired + ProjectSite.CO_RAMP + ProjectSite.CO_HOLD + ProjectSite.CO_DECAY;
        assertThat(basementCo.stream().filter(r -> r.getEventTime() > cleared).mapToDouble(SensorReading::getValue).max()
                .orElseThrow()).isLessThan(35);
        assertThat(run.all(SensorReading.class).stream().filter(r -> r.getMetric() == Metric.co_ppm
                && !r.getZone().equals(SitePlan.BASEMENT)).mapToDouble(SensorReading::getValue).max().orElseThrow())
                .isLessThan(35);
    }

    @Test
    void evacuationMovesEveryCheckedInWorkerToAMusterZoneAndStopsTheMachines() {
        // Given a run with an evacuation at +5 min, once everybody is at work
        final ModelRun run = ModelRun.of(ModelRun.small().workers(150).incidents(only("evacuation@5m")).build(),
                Duration.ofMinutes(20));
        final ManualBroadcast evacuation = run.broadcast(BroadcastKind.EVACUATION);
        final ManualBroadcast allClear = run.broadcast(BroadcastKind.ALL_CLEAR);
        final SitePlan plan = run.model.plan("demo");
        assertThat(evacuation.getPriority()).isEqualTo(Priority.EMERGENCY);
        assertThat(evacuation.getMusterZones()).containsExactlyElementsOf(plan.musterZones());
        assertThat(allClear.getEventTime()).isGreaterThan(evacuation.getEventTime());

        // When the last fix of each checked-in worker before the all-clear is looked at
        final List<String> checkedIn = run.checkedInAt(allClear.getEventTime());
        assertThat(checkedIn).hasSize(150);
        final Map<String, WorkerPosition> last = new TreeMap<>();
        run.all(WorkerPosition.class).stream().filter(p -> p.getEventTime() < allClear.getEventTime())
                .forEach(p -> last.put(p.getWorkerId(), p));

        // Then every one of them is in a muster zone, by zone name and by coordinates (within the tag's accuracy)
        assertThat(last.keySet()).containsAll(checkedIn);
        for (final String worker : checkedIn) {
            final WorkerPosition p = last.get(worker);
            assertThat(evacuation.getMusterZones()).as(worker).contains(p.getZone());
            final Rect muster = plan.zone(p.getZone()).area();
            final double x = plan.x(p.getLng());
            final double y = plan.y(p.getLat());
            assertThat(x).as(worker).isBetween(muster.minX() - p.getAccuracyM(), muster.maxX() + p.getAccuracyM());
            assertThat(y).as(worker).isBetween(muster.minY() - p.getAccuracyM(), muster.maxY() + p.getAccuracyM());
        }

        // And no machine operates between the alarm and the all-clear
        assertThat(run.all(EquipmentStatus.class).stream()
                .filter(s -> s.getEventTime() >= evacuation.getEventTime() && s.getEventTime() < allClear.getEventTime())
                .filter(s -> s.getStatus() == EquipmentState.OPERATIONAL)).isEmpty();
        // And work resumes after it
        assertThat(run.all(EquipmentStatus.class).stream()
                .filter(s -> s.getEventTime() > allClear.getEventTime() && s.getStatus() == EquipmentState.OPERATIONAL))
                .isNotEmpty();
    }

    @Test
    void aFallRaisesOneFallAlarmThenAnEmergencyStatusThenACheckOut() {
        // Given a run with a fall at +3 min
        final ModelRun run = ModelRun.of(ModelRun.small().incidents(only("fall@3m")).build(), Duration.ofMinutes(15));
        final FiredIncident fall = run.fired(IncidentKind.FALL);

        // Then the worker's tag raised exactly one FALL alarm, at the worker's position
        final List<WearableAlarm> alarms = run.all(WearableAlarm.class);
        assertThat(alarms).hasSize(1);
        final WearableAlarm alarm = alarms.get(0);
        assertThat(alarm.getKind()).isEqualTo(AlarmKind.FALL);
        assertThat(alarm.getWorkerId()).isEqualTo(fall.workerId());
        assertThat(alarm.getDeviceId()).isEqualTo("tag-" + fall.workerId());
        assertThat(alarm.getEventTime()).isEqualTo(fall.firedAtMs());
        final WorkerPosition before = run.all(WorkerPosition.class).stream()
                .filter(p -> p.getWorkerId().equals(fall.workerId()) && p.getEventTime() <= alarm.getEventTime())
                .reduce((x, y) -> y).orElseThrow();
        assertThat(ModelRun.distanceM(before.getLat(), before.getLng(), alarm.getLat(), alarm.getLng()))
                .isLessThan(before.getAccuracyM() * 1.5 + 2);

        // And a supervisor's EMERGENCY status 30 s later, then the check-out at the gate
        final List<WorkerPresence> presence = run.all(WorkerPresence.class).stream()
                .filter(p -> p.getWorkerId().equals(fall.workerId()) && p.getEventTime() > alarm.getEventTime()).toList();
        assertThat(presence).extracting(WorkerPresence::getAction, WorkerPresence::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PresenceAction.STATUS, WorkerStatus.EMERGENCY),
                org.assertj.core.groups.Tuple.tuple(PresenceAction.CHECK_OUT, WorkerStatus.OFFSITE));
        assertThat(presence.get(0).getEventTime()).isEqualTo(alarm.getEventTime() + 30_000);
        assertThat(presence.get(1).getZone()).isEqualTo(SitePlan.GATE);
    }

    @Test
    void aMissingWorkerFallsSilentAndStaysCheckedIn() {
        // Given a run with a missing worker at +3 min
        final ModelRun run = ModelRun.of(ModelRun.small().incidents(only("missing-worker@3m")).build(),
                Duration.ofMinutes(15));
        final FiredIncident missing = run.fired(IncidentKind.MISSING_WORKER);

        // Then nothing comes from that worker afterwards, though it sent before, and it never checked out
        final List<SpecificRecord> fromWorker = run.events.stream().filter(e -> missing.workerId().equals(workerId(e)))
                .toList();
        assertThat(fromWorker).isNotEmpty();
        assertThat(fromWorker).allSatisfy(e -> assertThat(eventTime(e)).isLessThan(missing.firedAtMs()));
        assertThat(run.checkedInAt(Long.MAX_VALUE)).contains(missing.workerId());
    }

    @Test
    void workersCheckInAtTheGateTakeTheirBreakAndCheckOutAtTheEndOfTheShift() {
        // Given a short 20-minute shift, no incidents, and a run past its end
        final ModelRun run = ModelRun.of(ModelRun.small().shiftLength(Duration.ofMinutes(20)).incidents(List.of()).build(),
                Duration.ofMinutes(30));

        // Then every worker checked in at the gate during the first 90 s, went on one break and came back, and
        // checked out at the gate during the last 90 s
        final Map<String, List<WorkerPresence>> byWorker = new TreeMap<>();
        run.all(WorkerPresence.class).forEach(p -> byWorker.computeIfAbsent(p.getWorkerId(), k -> new ArrayList<>()).add(p));
        assertThat(byWorker).hasSize(40);
        final long shiftEnd = ModelRun.START + Duration.ofMinutes(20).toMillis();
        byWorker.forEach((worker, events) -> {
            assertThat(events).extracting(WorkerPresence::getAction).as(worker).containsExactly(
                    PresenceAction.CHECK_IN, PresenceAction.STATUS, PresenceAction.STATUS, PresenceAction.CHECK_OUT);
            assertThat(events).extracting(WorkerPresence::getStatus).as(worker).containsExactly(
                    WorkerStatus.ACTIVE, WorkerStatus.BREAK, WorkerStatus.ACTIVE, WorkerStatus.OFFSITE);
            assertThat(events.get(0).getZone()).isEqualTo(SitePlan.GATE);
            assertThat(events.get(0).getEventTime()).isLessThan(ModelRun.START + 90_000);
            assertThat(events.get(3).getZone()).isEqualTo(SitePlan.GATE);
            assertThat(events.get(3).getEventTime()).isGreaterThan(shiftEnd - 90_000);
            assertThat(events.get(0).getTrade()).isNotBlank();
        });
        // And nobody sends a position after checking out
        final Map<String, Long> checkOut = new HashMap<>();
        byWorker.forEach((w, events) -> checkOut.put(w, events.get(3).getEventTime()));
        assertThat(run.all(WorkerPosition.class)).allSatisfy(p ->
                assertThat(p.getEventTime()).isLessThanOrEqualTo(checkOut.get(p.getWorkerId())));
    }

    @Test
    void sensorReadingsDriftAroundTheirBaselineWithinBounds() {
        // Given an hour on site without incidents
        final ModelRun run = ModelRun.of(ModelRun.small().incidents(List.of()).startInShift(Duration.ofHours(1)).build(),
                Duration.ofHours(1));

        // Then each fixed sensor's series moves (not constant), stays in the metric's normal range, and averages near
        // its zone's baseline
        final Map<String, List<SensorReading>> series = new TreeMap<>();
        run.all(SensorReading.class).stream().filter(r -> r.getWorkerId() == null)
                .forEach(r -> series.computeIfAbsent(r.getSensorId() + " " + r.getMetric(), k -> new ArrayList<>()).add(r));
        assertThat(series).hasSizeGreaterThan(21);
        series.forEach((key, readings) -> {
            final Metric metric = readings.get(0).getMetric();
            final Air.Spec spec = Air.spec(metric);
            final double[] values = readings.stream().mapToDouble(SensorReading::getValue).toArray();
            final double mean = java.util.Arrays.stream(values).average().orElseThrow();
            final double min = java.util.Arrays.stream(values).min().orElseThrow();
            final double max = java.util.Arrays.stream(values).max().orElseThrow();
            assertThat(readings).as(key).hasSizeGreaterThan(700);
            assertThat(max).as(key).isGreaterThan(min);
            assertThat(min).as(key).isGreaterThanOrEqualTo(Math.floor(spec.low() * 10) / 10);
            assertThat(max).as(key).isLessThanOrEqualTo(Math.ceil(spec.high() * 10) / 10);
            final double baseline = Air.baseline(metric, readings.get(0).getZone(), true);
            assertThat(mean).as(key).isCloseTo(baseline, org.assertj.core.data.Offset.offset(Math.max(0.15, baseline * 0.2)));
        });
    }

    @Test
    void everyRecordPassesValidationAndSerialisesWithItsSchema() {
        // Given two projects with every incident over 15 minutes
        final ModelRun run = ModelRun.of(ModelRun.small().projectIds(List.of("p-1", "p-2")).build(), Duration.ofMinutes(15));
        final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(new InMemorySchemaRegistry(), false);
        final RecordRouting routing = new RecordRouting(TopicCatalogue.LIVE);

        // Then no record has a validation problem, each has a topic and key, and each is writable as Avro
        assertThat(run.events).hasSizeGreaterThan(50_000);
        final Map<String, List<String>> problems = new TreeMap<>();
        for (final SpecificRecord e : run.events) {
            final List<String> p = EventValidation.problems(e);
            if (!p.isEmpty()) {
                problems.put(e.toString(), p);
            }
            assertThat(routing.keyFor(e)).isIn("p-1", "p-2");
            assertThat(serializer.serialize(routing.topicFor(e).name(), e)).isNotEmpty();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void incidentsWaitForAWorkerAndCanTargetOneProject() {
        // Given a crane-walk at +0 s in project b only, before anybody has checked in
        final SimulatorConfig config = ModelRun.small().projectIds(List.of("a", "b"))
                .incidents(only("crane-walk@0s:b")).build();
        final ModelRun run = ModelRun.of(config, Duration.ofMinutes(5));

        // Then it fired once, in b, as soon as a worker was at work (retried every 10 s)
        assertThat(run.model.incidentsFired()).hasSize(1);
        final FiredIncident walk = run.model.incidentsFired().get(0);
        assertThat(walk.projectId()).isEqualTo("b");
        assertThat(walk.plannedAtMs()).isEqualTo(ModelRun.START);
        assertThat(walk.firedAtMs()).isGreaterThan(ModelRun.START).isLessThanOrEqualTo(ModelRun.START + 120_000);
        assertThat((walk.firedAtMs() - ModelRun.START) % ProjectSite.INCIDENT_RETRY).isZero();
    }

    @Test
    void aSiteWithoutCranesSkipsTheCraneWalk() {
        final ModelRun run = ModelRun.of(ModelRun.small().machines(0).incidents(only("crane-walk@30s")).build(),
                Duration.ofMinutes(3));
        assertThat(run.model.incidentsFired()).isEmpty();
        assertThat(run.all(EquipmentStatus.class)).isEmpty();
    }

    @Test
    void theEventRateMatchesTheEstimateOnceEveryoneIsOnSite() {
        // Given 100 workers at 2 fixes/s, everybody on site from the start
        final SimulatorConfig config = ModelRun.small().workers(100).positionsPerSecond(2).incidents(List.of())
                .startInShift(Duration.ofMinutes(30)).build();
        final SiteModel model = new SiteModel(config, ModelRun.START);
        model.step(ModelRun.START + 60_000);

        // When ten minutes are counted
        final int events = model.step(ModelRun.START + 660_000).size();

        // Then the rate is the estimate, within a few percent (state changes come on top of periodic reports)
        assertThat(events / 600.0).isCloseTo(config.expectedEventsPerSimSecond(),
                org.assertj.core.data.Percentage.withPercentage(5));
    }

    private static long eventTime(final SpecificRecord e) {
        return (Long) e.get(e.getSchema().getField("eventTime").pos());
    }

    private static String workerId(final SpecificRecord e) {
        final org.apache.avro.Schema.Field f = e.getSchema().getField("workerId");
        return f == null ? null : Optional.ofNullable(e.get(f.pos())).map(Object::toString).orElse(null);
    }

    @Test
    void checkingEveryoneOutEmitsOneCheckOutPerWorkerOnSiteAndEndsTheirDay() {
        // Given a model 20 sim minutes into a shift, with a worker gone missing (silent, still checked in) and a fall
        final SimulatorConfig config = ModelRun.small().seed(11).incidents(only("missing-worker@5m", "fall@8m")).build();
        final ModelRun run = ModelRun.of(config, Duration.ofMinutes(20));
        final long stop = run.model.time();
        final List<String> onSite = run.checkedInAt(stop + 1);
        assertThat(onSite).isNotEmpty().contains(run.fired(IncidentKind.MISSING_WORKER).workerId());

        // When the simulation ends gracefully
        final List<SpecificRecord> checkOuts = run.model.checkOutEveryone(stop);

        // Then there is exactly one CHECK_OUT, OFFSITE, at the stop time, per worker on site, and nothing else
        assertThat(checkOuts).allSatisfy(e -> assertThat(e).isInstanceOf(WorkerPresence.class));
        final List<WorkerPresence> presence = checkOuts.stream().map(WorkerPresence.class::cast).toList();
        assertThat(presence).extracting(WorkerPresence::getWorkerId).containsExactlyInAnyOrderElementsOf(onSite);
        assertThat(presence).allSatisfy(p -> {
            assertThat(p.getAction()).isEqualTo(PresenceAction.CHECK_OUT);
            assertThat(p.getStatus()).isEqualTo(WorkerStatus.OFFSITE);
            assertThat(p.getEventTime()).isEqualTo(stop);
            assertThat(p.getProjectId()).isEqualTo("demo");
        });
        // And each is a valid worker_presence record as the topics take it
        assertThat(presence).allSatisfy(p -> assertThat(EventValidation.problems(p)).isEmpty());

        // And a second call finds nobody, and a later step sends nothing from those workers (not even next morning)
        assertThat(run.model.checkOutEveryone(stop)).isEmpty();
        final List<SpecificRecord> later = run.model.step(stop + Duration.ofHours(26).toMillis());
        assertThat(later).filteredOn(e -> e instanceof WorkerPosition pos && onSite.contains(pos.getWorkerId())
                || e instanceof WorkerPresence pres && onSite.contains(pres.getWorkerId())).isEmpty();
    }

    @Test
    void checkingOutBeforeTheModelsTimeIsRefused() {
        final ModelRun run = ModelRun.of(ModelRun.small().build(), Duration.ofMinutes(1));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run.model.checkOutEveryone(run.model.time() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
