package io.sitewire.streams.air.support;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;

/**
 * Alert ids and records of the air and noise rules.
 *
 * <p>Id: {@code <TYPE>:<projectId>:<subject>:<metric>[.<level>]:<episodeStart>}, where the subject is the sensor
 * id, the worker id, or {@code zone=<zone>} for a zone roll-up, and the level tells apart the limits one metric has
 * within one type (o2_pct.low / o2_pct.high, silica_ugm3.pel / silica_ugm3.action, noise_dose_pct.action /
 * noise_dose_pct.pel). The same episode always gets the same id, so its CLEARED matches its RAISED and a replayed
 * or re-computed alert is recognisably the same alert.
 */
public final class Alerts {

    public static final String ZONE_SUBJECT_PREFIX = "zone=";

    private Alerts() {
    }

    public static String id(final AlertType type, final String projectId, final String subject,
            final String metricSegment, final long episodeStart) {
        return type.name() + ':' + projectId + ':' + subject + ':' + metricSegment + ':' + episodeStart;
    }

    public static String zoneSubject(final String zone) {
        return ZONE_SUBJECT_PREFIX + zone;
    }

    /** The fields every alert of these rules has; the caller adds zone, worker and message. */
    public static Alert.Builder builder(final AlertType type, final Priority priority, final AlertState state,
            final String projectId, final String subject, final String metricSegment, final long episodeStart,
            final String metric, final double value, final double limit, final String rule, final String limitSource,
            final long sourceTime, final long raisedAt) {
        return Alert.newBuilder()
                .setAlertId(id(type, projectId, subject, metricSegment, episodeStart))
                .setType(type)
                .setPriority(priority)
                .setState(state)
                .setProjectId(projectId)
                .setMetric(metric)
                .setValue(value)
                .setLimit(limit)
                .setRule(rule)
                .setLimitSource(limitSource)
                .setSourceTime(sourceTime)
                .setRaisedAt(raisedAt);
    }
}
