package io.sitewire.streams.site;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.streams.config.RuleDefaults;
import io.sitewire.streams.emergency.BroadcastAlerts;
import io.sitewire.streams.support.Alerts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Rule 5, evacuation roll-call (29 CFR 1926.35(b)(3): account for all employees after an evacuation). While an
 * EVACUATION broadcast is active for a project (until ALL_CLEAR), the roll-call topic (key projectId) lists who is
 * accounted for and who is missing, updated as workers arrive.
 *
 * <p>Expected: the workers checked in when it starts (only those of the target zone or trade for a ZONE or TRADE
 * evacuation), plus anyone who checks in while it is active. Accounted: a position or presence event in a muster zone
 * with an event time at or after the start (an older fix does not prove they are there now), or a check-out (they have
 * left the site through the gate). When the last one is accounted, a ROLL_CALL alert (HIGH) says so. On ALL_CLEAR the
 * final roll-call is published with active=false, and the EVACUATION alerts (raised by the emergency path, same ids)
 * and the ROLL_CALL alert are CLEARED. A second EVACUATION while one is active joins it (muster zones are added).
 */
final class RollCallRule {

    private static final StringSerializer KEYS = new StringSerializer();

    private final Site site;

    RollCallRule(final Site site) {
        this.site = site;
    }

    void onBroadcast(final ManualBroadcast b) {
        if (b.getKind() == BroadcastKind.EVACUATION) {
            start(b);
        } else if (b.getKind() == BroadcastKind.ALL_CLEAR) {
            end(b);
        }
    }

    /**
     * A worker event: {@code w} the worker after it, {@code zone} where the event itself puts the worker (null: it does
     * not say), {@code checkedOut} when it is a check-out.
     */
    void onWorker(final WorkerRecord w, final String zone, final boolean checkedOut, final long eventTime) {
        final String workerId = w.workerId();
        final Evacuation ev = site.evacuations.get(w.projectId());
        if (ev == null || eventTime < ev.startedAt() && !checkedOut) {
            return;
        }
        final TreeSet<String> accounted = new TreeSet<>(ev.accounted());
        final TreeSet<String> missing = new TreeSet<>(ev.missing());
        if (checkedOut || zone != null && ev.musterZones().contains(zone)) {
            accounted.add(workerId);
            missing.remove(workerId);
        } else if (w.checkedIn() && !accounted.contains(workerId) && expected(ev, w.zone(), w.trade())) {
            missing.add(workerId);
        }
        if (accounted.equals(new TreeSet<>(ev.accounted())) && missing.equals(new TreeSet<>(ev.missing()))) {
            return;
        }
        update(ev, accounted, missing, eventTime);
    }

    private void start(final ManualBroadcast b) {
        final String projectId = b.getProjectId();
        final String alertId = BroadcastAlerts.alertId(b);
        final Evacuation active = site.evacuations.get(projectId);
        if (active != null) {
            if (active.alertIds().contains(alertId)) {
                return; // the same broadcast again
            }
            final TreeSet<String> zones = new TreeSet<>(active.musterZones());
            zones.addAll(b.getMusterZones());
            final List<String> ids = new ArrayList<>(active.alertIds());
            ids.add(alertId);
            final Evacuation joined = new Evacuation(projectId, active.evacuationId(), active.startedAt(),
                    List.copyOf(zones), active.scope(), active.target(), ids, active.accounted(), active.missing(),
                    active.rollCallRaised());
            site.evacuations.put(projectId, joined);
            site.emit(projectId, rollCall(joined, true, b.getEventTime()), b.getEventTime());
            return;
        }
        final Evacuation draft = new Evacuation(projectId, b.getBroadcastId(), b.getEventTime(),
                List.copyOf(new TreeSet<>(b.getMusterZones())), b.getTargetScope(), b.getTarget(), List.of(alertId),
                List.of(), List.of(), false);
        final TreeSet<String> missing = new TreeSet<>();
        try (KeyValueIterator<String, WorkerRecord> it = site.workers.prefixScan(Site.prefix(projectId), KEYS)) {
            it.forEachRemaining(kv -> {
                final WorkerRecord w = kv.value;
                if (w.checkedIn() && expected(draft, w.zone(), w.trade())) {
                    missing.add(w.workerId());
                }
            });
        }
        update(draft, new TreeSet<>(), missing, b.getEventTime());
    }

    private void end(final ManualBroadcast b) {
        final String projectId = b.getProjectId();
        final Evacuation ev = site.evacuations.get(projectId);
        if (ev == null) {
            return;
        }
        site.evacuations.delete(projectId);
        final long t = b.getEventTime();
        site.emit(projectId, rollCall(ev, false, t), t);
        for (final String id : ev.alertIds()) {
            site.emit(projectId, Alerts.alert(id, AlertType.EVACUATION, Priority.EMERGENCY, AlertState.CLEARED, projectId,
                            "evacuation.all-clear", "All clear: " + b.getMessage(), t, site.wallNow())
                    .setLimitSource(RuleDefaults.EVACUATION_SOURCE)
                    .build(), t);
        }
        if (ev.rollCallRaised()) {
            site.emit(projectId, rollCallAlert(ev, AlertState.CLEARED, "evacuation.all-clear", "All clear", t), t);
        }
    }

    private void update(final Evacuation ev, final TreeSet<String> accounted, final TreeSet<String> missing,
            final long eventTime) {
        final boolean allAccounted = missing.isEmpty() && !ev.rollCallRaised();
        final Evacuation next = new Evacuation(ev.projectId(), ev.evacuationId(), ev.startedAt(), ev.musterZones(),
                ev.scope(), ev.target(), ev.alertIds(), List.copyOf(accounted), List.copyOf(missing),
                ev.rollCallRaised() || allAccounted);
        site.evacuations.put(ev.projectId(), next);
        site.emit(ev.projectId(), rollCall(next, true, eventTime), eventTime);
        if (allAccounted) {
            site.emit(ev.projectId(), rollCallAlert(next, AlertState.RAISED, "evacuation.roll-call",
                    "All " + accounted.size() + " workers accounted for", eventTime), eventTime);
        }
    }

    /** Whether a worker in {@code zone} with {@code trade} is part of the evacuation's roll-call. */
    private static boolean expected(final Evacuation ev, final String zone, final String trade) {
        return switch (ev.scope()) {
            case PROJECT -> true;
            case ZONE -> Objects.equals(zone, ev.target());
            case TRADE -> trade == null || Objects.equals(trade, ev.target());
        };
    }

    private RollCall rollCall(final Evacuation ev, final boolean active, final long updatedAt) {
        return new RollCall(ev.projectId(), ev.evacuationId(), active, ev.musterZones(), ev.accounted(), ev.missing(),
                ev.startedAt(), updatedAt);
    }

    private Alert rollCallAlert(final Evacuation ev, final AlertState state, final String rule, final String message,
            final long sourceTime) {
        return Alerts.alert(Alerts.id(AlertType.ROLL_CALL, ev.projectId(), ev.startedAt(), ev.evacuationId()),
                        AlertType.ROLL_CALL, Priority.HIGH, state, ev.projectId(), rule, message, sourceTime, site.wallNow())
                .setMetric("accounted")
                .setValue((double) ev.accounted().size())
                .setLimitSource(RuleDefaults.EVACUATION_SOURCE)
                .build();
    }
}
