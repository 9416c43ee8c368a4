package io.sitewire.schemas;

import io.sitewire.events.Alert;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.schemas.topics.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks that a well-typed event also makes sense (ids usable as keys, coordinates on Earth, readings
 * physically possible). Shared by the HTTP ingest, which rejects such events, and the streams app,
 * which sends them to the dead-letter topic instead of letting them raise or hide alerts.
 */
public final class EventValidation {

    /** The largest safety radius accepted; larger is a unit error (feet, centimetres), not a machine. */
    public static final double MAX_SAFETY_RADIUS_M = 500.0;

    private EventValidation() {
    }

    /** Every problem found, or an empty list. */
    public static List<String> problems(final SpecificRecord record) {
        final List<String> problems = new ArrayList<>();
        if (record instanceof WorkerPosition p) {
            id(problems, "projectId", p.getProjectId());
            id(problems, "workerId", p.getWorkerId());
            position(problems, p.getLat(), p.getLng());
            if (p.getAccuracyM() != null && !(p.getAccuracyM() >= 0)) {
                problems.add("accuracyM must be >= 0");
            }
            time(problems, p.getEventTime());
        } else if (record instanceof WorkerPresence p) {
            id(problems, "projectId", p.getProjectId());
            id(problems, "workerId", p.getWorkerId());
            time(problems, p.getEventTime());
        } else if (record instanceof EquipmentStatus e) {
            id(problems, "projectId", e.getProjectId());
            id(problems, "equipmentId", e.getEquipmentId());
            position(problems, e.getLat(), e.getLng());
            if (!(e.getSafetyRadiusM() > 0 && e.getSafetyRadiusM() <= MAX_SAFETY_RADIUS_M)) {
                problems.add("safetyRadiusM must be in (0, " + MAX_SAFETY_RADIUS_M + "] metres, got " + e.getSafetyRadiusM());
            }
            time(problems, e.getEventTime());
        } else if (record instanceof SensorReading s) {
            id(problems, "projectId", s.getProjectId());
            id(problems, "sensorId", s.getSensorId());
            id(problems, "zone", s.getZone());
            if (s.getWorkerId() != null) {
                id(problems, "workerId", s.getWorkerId());
            }
            reading(problems, s.getMetric(), s.getValue());
            time(problems, s.getEventTime());
        } else if (record instanceof WearableAlarm a) {
            id(problems, "projectId", a.getProjectId());
            id(problems, "workerId", a.getWorkerId());
            id(problems, "deviceId", a.getDeviceId());
            if ((a.getLat() == null) != (a.getLng() == null)) {
                problems.add("lat and lng come together or not at all");
            } else if (a.getLat() != null) {
                position(problems, a.getLat(), a.getLng());
            }
            time(problems, a.getEventTime());
        } else if (record instanceof ManualBroadcast b) {
            id(problems, "projectId", b.getProjectId());
            id(problems, "broadcastId", b.getBroadcastId());
            if (b.getTargetScope() != TargetScope.PROJECT && (b.getTarget() == null || b.getTarget().isBlank())) {
                problems.add("target is required when targetScope is " + b.getTargetScope());
            }
            if (b.getKind() == BroadcastKind.EVACUATION && b.getMusterZones().isEmpty()) {
                problems.add("an EVACUATION needs at least one muster zone");
            }
            if (b.getMessage().isBlank()) {
                problems.add("message must not be blank");
            }
            time(problems, b.getEventTime());
        } else if (record instanceof Alert a) {
            id(problems, "alertId", a.getAlertId());
            id(problems, "projectId", a.getProjectId());
            time(problems, a.getSourceTime());
        }
        return problems;
    }

    private static void id(final List<String> problems, final String field, final String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " must not be blank");
        } else if (value.contains(KeyLayout.SEPARATOR)) {
            problems.add(field + " must not contain '" + KeyLayout.SEPARATOR + "': " + value);
        } else if (value.length() > 128) {
            problems.add(field + " is longer than 128 characters");
        }
    }

    private static void position(final List<String> problems, final double lat, final double lng) {
        if (!(lat >= -90 && lat <= 90)) {
            problems.add("lat must be within [-90, 90], got " + lat);
        }
        if (!(lng >= -180 && lng <= 180)) {
            problems.add("lng must be within [-180, 180], got " + lng);
        }
    }

    private static void time(final List<String> problems, final long epochMs) {
        if (epochMs <= 0) {
            problems.add("eventTime must be epoch milliseconds > 0, got " + epochMs);
        }
    }

    private static void reading(final List<String> problems, final Metric metric, final double value) {
        if (!Double.isFinite(value)) {
            problems.add("value must be a finite number");
            return;
        }
        final boolean ok = switch (metric) {
            case o2_pct, lel_pct -> value >= 0 && value <= 100;
            case noise_dba -> value >= 0 && value <= 194; // 194 dB is the loudest undistorted sound in air
            case heart_rate_bpm -> value >= 0 && value <= 300;
            default -> value >= 0;
        };
        if (!ok) {
            problems.add("value " + value + " is not possible for " + metric);
        }
    }
}
