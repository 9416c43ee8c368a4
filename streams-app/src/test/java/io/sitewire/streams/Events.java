package io.sitewire.streams;

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
import io.sitewire.streams.proximity.GeoMath;
import java.util.List;

/** Test events. Positions are given in metres east of a machine-free origin on a real site latitude. */
final class Events {

    /** A site in London. */
    static final double LAT0 = 51.5072;
    static final double LNG0 = -0.1276;

    private Events() {
    }

    /** The point {@code northM} north and {@code eastM} east of the origin. */
    static double[] at(final double northM, final double eastM) {
        return GeoMath.offset(LAT0, LNG0, northM, eastM);
    }

    static WorkerPosition position(final String project, final String worker, final double[] point, final String zone,
            final long time) {
        return new WorkerPosition(project, worker, point[0], point[1], 3.0, zone, time);
    }

    static WorkerPosition position(final String project, final String worker, final double[] point, final long time) {
        return position(project, worker, point, null, time);
    }

    static EquipmentStatus machine(final String project, final String id, final double[] point, final double radiusM,
            final EquipmentState state, final boolean moving, final long time) {
        return new EquipmentStatus(project, id, EquipmentType.CRANE, state, moving, "op-1", point[0], point[1], radiusM, time);
    }

    static WorkerPresence presence(final String project, final String worker, final PresenceAction action,
            final WorkerStatus status, final String zone, final String trade, final long time) {
        return new WorkerPresence(project, worker, action, status, zone, trade, List.of(), time);
    }

    static WorkerPresence checkIn(final String project, final String worker, final String zone, final long time) {
        return presence(project, worker, PresenceAction.CHECK_IN, WorkerStatus.ACTIVE, zone, "carpenter", time);
    }

    static WorkerPresence checkOut(final String project, final String worker, final long time) {
        return presence(project, worker, PresenceAction.CHECK_OUT, WorkerStatus.OFFSITE, null, null, time);
    }

    static WearableAlarm alarm(final String project, final String worker, final String device, final AlarmKind kind,
            final double[] point, final long time) {
        return new WearableAlarm(project, worker, device, kind, point == null ? null : point[0],
                point == null ? null : point[1], time);
    }

    static SensorReading wearableReading(final String project, final String worker, final String zone, final long time) {
        return new SensorReading(project, "hr-" + worker, zone, Metric.heart_rate_bpm, 80.0, worker, time);
    }

    static ManualBroadcast broadcast(final String project, final String id, final BroadcastKind kind,
            final Priority priority, final TargetScope scope, final String target, final List<String> muster,
            final long time) {
        return new ManualBroadcast(project, id, kind, priority, scope, target, "message " + id, "supervisor-1", muster, time);
    }

    static ManualBroadcast evacuation(final String project, final String id, final List<String> muster, final long time) {
        return broadcast(project, id, BroadcastKind.EVACUATION, Priority.URGENT, TargetScope.PROJECT, null, muster, time);
    }

    static ManualBroadcast allClear(final String project, final String id, final long time) {
        return broadcast(project, id, BroadcastKind.ALL_CLEAR, Priority.HIGH, TargetScope.PROJECT, null, List.of(), time);
    }
}
