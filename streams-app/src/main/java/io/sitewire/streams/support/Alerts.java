package io.sitewire.streams.support;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import java.util.StringJoiner;

/**
 * Alert ids and the common part of every alert. Ids are deterministic, {@code <TYPE>:<projectId>:<subject...>:
 * <episodeStartSourceTime>}, so a replay or a restart produces the same id and a consumer can de-duplicate on
 * (alertId, state); the CLEARED alert of an episode carries the id of its RAISED alert.
 */
public final class Alerts {

    private Alerts() {
    }

    /** {@code TYPE:projectId:subject...:episodeStart}. */
    public static String id(final AlertType type, final String projectId, final long episodeStart, final String... subject) {
        final StringJoiner id = new StringJoiner(":");
        id.add(type.name()).add(projectId);
        for (final String part : subject) {
            id.add(part);
        }
        return id.add(Long.toString(episodeStart)).toString();
    }

    /** A builder with the fields every alert has; the caller adds subject fields (worker, zone, position, limit). */
    public static Alert.Builder alert(final String alertId, final AlertType type, final Priority priority,
            final AlertState state, final String projectId, final String rule, final String message,
            final long sourceTime, final long raisedAt) {
        return Alert.newBuilder()
                .setAlertId(alertId)
                .setType(type)
                .setPriority(priority)
                .setState(state)
                .setProjectId(projectId)
                .setRule(rule)
                .setMessage(message)
                .setSourceTime(sourceTime)
                .setRaisedAt(raisedAt);
    }

    /** The CLEARED twin of a RAISED alert: same id, type, priority and subject; new time, rule and message. */
    public static Alert cleared(final Alert raised, final String rule, final String message, final long sourceTime,
            final long raisedAt) {
        return Alert.newBuilder(raised)
                .setState(AlertState.CLEARED)
                .setRule(rule)
                .setMessage(message)
                .setSourceTime(sourceTime)
                .setRaisedAt(raisedAt)
                .build();
    }
}
