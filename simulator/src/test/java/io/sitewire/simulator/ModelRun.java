package io.sitewire.simulator;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/** Runs a model to an end time and offers the questions the tests ask of its events. */
final class ModelRun {

    /** A fixed start (2026-01-01T07:00:00Z), so runs are reproducible. */
    static final long START = 1_767_250_800_000L;

    final SiteModel model;
    final List<SpecificRecord> events;

    private ModelRun(final SiteModel model, final List<SpecificRecord> events) {
        this.model = model;
        this.events = events;
    }

    static ModelRun of(final SimulatorConfig config, final Duration length) {
        final SiteModel model = new SiteModel(config, START);
        final List<SpecificRecord> events = new ArrayList<>();
        for (long t = START; t <= START + length.toMillis(); t += 10_000) {
            events.addAll(model.step(t));
        }
        return new ModelRun(model, events);
    }

    static SimulatorConfig.Builder small() {
        return SimulatorConfig.builder().workers(40).machines(8).sensors(21).progressInterval(Duration.ZERO);
    }

    <T extends SpecificRecord> List<T> all(final Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    FiredIncident fired(final IncidentKind kind) {
        return model.incidentsFired().stream().filter(i -> i.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " did not fire; fired: " + model.incidentsFired()));
    }

    ManualBroadcast broadcast(final io.sitewire.events.BroadcastKind kind) {
        return all(ManualBroadcast.class).stream().filter(b -> b.getKind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " broadcast"));
    }

    /**
     * Replays the events in order, keeping every machine's latest status, and hands each worker position to the
     * visitor together with that state of the site.
     */
    void replayPositions(final PositionVisitor visitor) {
        final Map<String, EquipmentStatus> machines = new HashMap<>();
        for (final SpecificRecord e : events) {
            if (e instanceof EquipmentStatus s) {
                machines.put(s.getProjectId() + "/" + s.getEquipmentId(), s);
            } else if (e instanceof WorkerPosition p) {
                visitor.visit(p, machines.values().stream().filter(m -> m.getProjectId().equals(p.getProjectId())).toList());
            }
        }
    }

    /** Workers checked in just before {@code time}, from the presence events. */
    List<String> checkedInAt(final long time) {
        final List<String> in = new ArrayList<>();
        for (final WorkerPresence p : all(WorkerPresence.class)) {
            if (p.getEventTime() >= time) {
                break;
            }
            switch (p.getAction()) {
                case CHECK_IN -> in.add(p.getWorkerId());
                case CHECK_OUT -> in.remove(p.getWorkerId());
                default -> {
                }
            }
        }
        return in;
    }

    void forEach(final Consumer<SpecificRecord> action) {
        events.forEach(action);
    }

    interface PositionVisitor {
        void visit(WorkerPosition position, List<EquipmentStatus> machines);
    }

    /** Great-circle distance in metres (haversine, mean Earth radius), as a proximity rule computes it. */
    static double distanceM(final double lat1, final double lng1, final double lat2, final double lng2) {
        final double r = 6_371_008.8;
        final double dLat = Math.toRadians(lat2 - lat1);
        final double dLng = Math.toRadians(lng2 - lng1);
        final double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
        return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    static double distanceM(final WorkerPosition p, final EquipmentStatus m) {
        return distanceM(p.getLat(), p.getLng(), m.getLat(), m.getLng());
    }
}
