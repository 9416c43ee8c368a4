package io.sitewire.streams.site;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerStatus;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.streams.config.RuleDefaults;
import io.sitewire.streams.support.Alerts;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Rule 5, presence: keeps each worker's current state (published to the worker-state topic on every change), the
 * checked-in headcount per zone and in total (headcount topic), and raises MISSING_WORKER (URGENT) for a checked-in worker
 * who has sent nothing for {@code presence.missing.after.ms}; the alert clears when the worker shows up or checks out.
 *
 * <p>Silence is measured on the wall clock: with no input at all, stream time would stand still and a missing worker
 * would never be noticed. It is measured from the time the worker's last event was processed, not its device time, so a
 * device with a wrong clock or a replay of old data does not make everyone "missing"; and a task that just started
 * gives everyone a full interval (its input may still be catching up).
 */
final class PresenceRule {

    static final String ALL_ZONES = "*";

    private final Site site;
    private long startedAt;

    PresenceRule(final Site site) {
        this.site = site;
    }

    /** Rebuilds the headcounts from the worker store and notes the start time. */
    void init() {
        startedAt = site.wallNow();
        try (KeyValueIterator<String, WorkerRecord> all = site.workers.all()) {
            while (all.hasNext()) {
                final WorkerRecord w = all.next().value;
                if (w.checkedIn()) {
                    final ProjectIndex index = site.index(w.projectId());
                    index.total++;
                    if (w.zone() != null) {
                        index.headcount.merge(w.zone(), 1, Integer::sum);
                    }
                }
            }
        }
    }

    WorkerRecord load(final String projectId, final String workerId) {
        final WorkerRecord w = site.workers.get(Site.key(projectId, workerId));
        return w != null ? w : WorkerRecord.unknown(projectId, workerId);
    }

    /** Any event from the worker: newest time seen, arrival time, and the end of a missing episode. */
    WorkerRecord seen(final String projectId, final String workerId, final long eventTime) {
        return seen(projectId, workerId, eventTime, "presence.seen", "seen again");
    }

    private WorkerRecord seen(final String projectId, final String workerId, final long eventTime, final String rule,
            final String why) {
        return clearMissing(load(projectId, workerId).seen(eventTime, site.wallNow()), eventTime, rule, why);
    }

    /**
     * A position: moves the worker only if it is not older than the position held (late and out-of-order fixes
     * never move a worker back). Returns the stored record, and whether the position was taken.
     */
    KeyValue<WorkerRecord, Boolean> onPosition(final WorkerPosition p) {
        final WorkerRecord before = seen(p.getProjectId(), p.getWorkerId(), p.getEventTime());
        final boolean newer = p.getEventTime() >= before.positionTime();
        final WorkerRecord after = newer
                ? before.withPosition(p.getLat(), p.getLng(), p.getZone(), p.getEventTime())
                : before;
        store(before, after, p.getEventTime());
        return KeyValue.pair(after, newer);
    }

    /** A check-in, check-out or status change, applied unless an already applied one is newer. */
    WorkerRecord onPresence(final WorkerPresence p) {
        final boolean leaving = p.getAction() == PresenceAction.CHECK_OUT || p.getStatus() == WorkerStatus.OFFSITE;
        final WorkerRecord before = leaving
                ? seen(p.getProjectId(), p.getWorkerId(), p.getEventTime(), "presence.checked-out",
                        p.getAction() == PresenceAction.CHECK_OUT ? "checked out" : "is off site")
                : seen(p.getProjectId(), p.getWorkerId(), p.getEventTime());
        WorkerRecord after = before;
        if (p.getEventTime() >= before.presenceTime()) {
            final boolean checkedIn = switch (p.getAction()) {
                case CHECK_IN -> true;
                case CHECK_OUT -> false;
                case STATUS -> before.checkedIn();
            };
            after = before.withPresence(checkedIn, p.getStatus(), p.getZone(), p.getTrade(), p.getEventTime());
        }
        store(before, after, p.getEventTime());
        return after;
    }

    /** Any other sign of life (a wearable reading or alarm naming the worker). */
    WorkerRecord onSignOfLife(final String projectId, final String workerId, final long eventTime) {
        final WorkerRecord before = load(projectId, workerId);
        final WorkerRecord after = seen(projectId, workerId, eventTime);
        store(before, after, eventTime);
        return after;
    }

    /** Wall-clock punctuation: raise MISSING_WORKER for every watched worker silent for too long. */
    void checkMissing(final long now) {
        try (KeyValueIterator<String, WorkerRecord> all = site.workers.all()) {
            while (all.hasNext()) {
                final KeyValue<String, WorkerRecord> entry = all.next();
                final WorkerRecord w = entry.value;
                if (!w.watched() || w.missingSince() != null) {
                    continue;
                }
                final long silentFor = now - Math.max(w.lastArrival(), startedAt);
                final long limit = site.settings.presence(w.projectId()).missingAfterMs();
                if (silentFor >= limit) {
                    final WorkerRecord missing = w.withMissingSince(w.lastSeen());
                    site.workers.put(entry.key, missing);
                    site.emit(w.projectId(), missingAlert(missing, now, limit), now);
                }
            }
        }
    }

    private WorkerRecord clearMissing(final WorkerRecord w, final long sourceTime, final String rule, final String why) {
        if (w.missingSince() == null) {
            return w;
        }
        final Alert raised = missingAlert(w, sourceTime, site.settings.presence(w.projectId()).missingAfterMs());
        site.emit(w.projectId(), Alerts.cleared(raised, rule, "Worker " + w.workerId() + " " + why, sourceTime,
                site.wallNow()), sourceTime);
        return w.withMissingSince(null);
    }

    private Alert missingAlert(final WorkerRecord w, final long sourceTime, final long limitMs) {
        final long start = w.missingSince();
        return Alerts.alert(Alerts.id(AlertType.MISSING_WORKER, w.projectId(), start, w.workerId()),
                        AlertType.MISSING_WORKER, Priority.URGENT, AlertState.RAISED, w.projectId(), "presence.missing",
                        "Worker " + w.workerId() + " is checked in but has sent nothing for " + (limitMs / 1000)
                                + " s (last seen " + (w.zone() == null ? "in an unknown zone" : "in zone " + w.zone()) + ")",
                        start, site.wallNow())
                .setWorkerId(w.workerId())
                .setZone(w.zone())
                .setLat(w.lat())
                .setLng(w.lng())
                .setMetric("silence_ms")
                .setValue((double) Math.max(0, sourceTime - start))
                .setLimit((double) limitMs)
                .setLimitSource(RuleDefaults.MISSING_SOURCE)
                .build();
    }

    /**
     * Stores the record, publishes the worker state, and the headcounts the change moved. The state record's
     * timestamp is the worker's lastSeen, which never goes back, so the compacted topic's timeline per key is monotone
     * even when a late event changes nothing.
     */
    private void store(final WorkerRecord before, final WorkerRecord after, final long timestamp) {
        site.workers.put(Site.key(after.projectId(), after.workerId()), after);
        site.emit(Site.key(after.projectId(), after.workerId()), after.toState(), Math.max(after.lastSeen(), 1));
        final String zoneBefore = before.checkedIn() ? before.zone() : null;
        final String zoneAfter = after.checkedIn() ? after.zone() : null;
        final ProjectIndex index = site.index(after.projectId());
        if (before.checkedIn() != after.checkedIn()) {
            index.total += after.checkedIn() ? 1 : -1;
            emitCount(after.projectId(), ALL_ZONES, index.total, timestamp);
        }
        if (!Objects.equals(zoneBefore, zoneAfter)) {
            if (zoneBefore != null) {
                emitCount(after.projectId(), zoneBefore, index.headcount.merge(zoneBefore, -1, Integer::sum), timestamp);
            }
            if (zoneAfter != null) {
                emitCount(after.projectId(), zoneAfter, index.headcount.merge(zoneAfter, 1, Integer::sum), timestamp);
            }
        }
    }

    private void emitCount(final String projectId, final String zone, final int count, final long timestamp) {
        // A zone name may hold the key separator; escape it in the key only (the value keeps the real name).
        site.emit(Site.key(projectId, zone.replace("/", "%2F")),
                new ZoneHeadcount(projectId, zone, count, timestamp), timestamp);
    }
}
