package io.sitewire.streams.site;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.Priority;
import io.sitewire.streams.config.ProximitySettings;
import io.sitewire.streams.config.RuleDefaults;
import io.sitewire.streams.proximity.GeoMath;
import io.sitewire.streams.support.Alerts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Rule 1, proximity: a worker whose latest position lies within the safety radius of an OPERATIONAL machine of the same
 * project raises PROXIMITY: URGENT, or EMERGENCY when the machine reports motion or the worker is within
 * {@code innerFraction} of the radius. On the radius counts as inside.
 *
 * <p>One episode per (worker, machine): one RAISED alert when it starts, with id
 * {@code PROXIMITY:<project>:<worker>:<machine>:<start>}, and a CLEARED alert with the same id when the worker is
 * beyond radius x (1 + hysteresis), the machine stops being operational, or the worker's position goes stale. Escalation:
 * if an URGENT episode becomes EMERGENCY (the machine starts moving, the worker steps into the inner zone), one more
 * RAISED alert is produced on the EMERGENCY topic with id {@code PROXIMITY:<project>:<worker>:<machine>:EMERGENCY:<start>}
 * (same episode suffix). Escalation is sticky: the episode never de-escalates, so nothing flaps; when it ends, both
 * alerts are CLEARED.
 *
 * <p>Candidates come from a spatial grid ({@link io.sitewire.streams.proximity.GridIndex}): a worker update looks at
 * the machines listed in its cell (each machine listed in every cell its clearing radius covers) plus the machines it
 * has open episodes with; a machine update looks at the workers in the cells it covers plus its open episodes. So a
 * worker moving past 50 machines costs a few lookups, not 50 distance computations, and a machine swinging towards a
 * standing worker raises as well.
 */
final class ProximityRule {

    private final Site site;

    ProximityRule(final Site site) {
        this.site = site;
    }

    /** Rebuilds the grid indexes of this task's projects from the stores. */
    void init() {
        try (KeyValueIterator<String, EquipmentStatus> all = site.equipment.all()) {
            while (all.hasNext()) {
                index(all.next().value);
            }
        }
        try (KeyValueIterator<String, WorkerRecord> all = site.workers.all()) {
            while (all.hasNext()) {
                final WorkerRecord w = all.next().value;
                if (w.hasPosition()) {
                    site.index(w.projectId()).workers.put(w.workerId(), w.lat(), w.lng(), 0);
                }
            }
        }
        try (KeyValueIterator<String, Episode> all = site.episodes.all()) {
            while (all.hasNext()) {
                final Episode e = all.next().value;
                site.index(e.projectId()).episodeOpened(e.workerId(), e.equipmentId());
            }
        }
    }

    /** The worker's position changed: check the machines near it and those it has episodes with. */
    void onWorkerMoved(final WorkerRecord w, final long sourceTime) {
        final ProjectIndex index = site.index(w.projectId());
        index.workers.put(w.workerId(), w.lat(), w.lng(), 0);
        final Set<String> machines = new TreeSet<>(index.machines.candidates(w.lat(), w.lng(), 0));
        machines.addAll(index.machinesWithEpisodes(w.workerId()));
        for (final String equipmentId : machines) {
            evaluate(w, site.equipment.get(Site.key(w.projectId(), equipmentId)), equipmentId, sourceTime);
        }
    }

    /**
     * A machine reported. Older reports than the one held are ignored. Returns whether it was taken (then the caller
     * publishes it as the machine's current state).
     */
    boolean onEquipment(final EquipmentStatus e) {
        final String key = Site.key(e.getProjectId(), e.getEquipmentId());
        final EquipmentStatus held = site.equipment.get(key);
        if (held != null && e.getEventTime() < held.getEventTime()) {
            return false;
        }
        site.equipment.put(key, e);
        index(e);
        final ProximitySettings settings = site.settings.proximity(e.getProjectId());
        final ProjectIndex index = site.index(e.getProjectId());
        final Set<String> workers = new TreeSet<>(index.workers.candidates(e.getLat(), e.getLng(),
                e.getSafetyRadiusM() * (1 + settings.hysteresis())));
        workers.addAll(index.workersWithEpisodes(e.getEquipmentId()));
        for (final String workerId : workers) {
            final WorkerRecord w = site.workers.get(Site.key(e.getProjectId(), workerId));
            if (w != null && w.hasPosition()) {
                evaluate(w, e, e.getEquipmentId(), e.getEventTime());
            }
        }
        return true;
    }

    /** Stream-time punctuation: end the episodes whose worker position went stale. */
    void checkStale(final long streamTime) {
        final List<Episode> open = new ArrayList<>();
        try (KeyValueIterator<String, Episode> all = site.episodes.all()) {
            all.forEachRemaining(kv -> open.add(kv.value));
        }
        for (final Episode episode : open) {
            final WorkerRecord w = site.workers.get(Site.key(episode.projectId(), episode.workerId()));
            final long staleAfter = site.settings.proximity(episode.projectId()).staleAfterMs();
            if (w == null || streamTime - w.positionTime() > staleAfter) {
                clear(episode, w, null, "proximity.stale", "position of worker " + episode.workerId()
                        + " is older than " + staleAfter / 1000 + " s", streamTime);
            }
        }
    }

    private void evaluate(final WorkerRecord w, final EquipmentStatus e, final String equipmentId, final long sourceTime) {
        final String episodeKey = Site.key(w.projectId(), w.workerId(), equipmentId);
        final Episode episode = site.episodes.get(episodeKey);
        final ProximitySettings settings = site.settings.proximity(w.projectId());
        final boolean fresh = site.streamNow() - w.positionTime() <= settings.staleAfterMs();
        final boolean operational = e != null && e.getStatus() == EquipmentState.OPERATIONAL;
        final double distance = e == null ? Double.POSITIVE_INFINITY
                : GeoMath.distanceM(w.lat(), w.lng(), e.getLat(), e.getLng());
        if (episode == null) {
            if (operational && fresh && distance <= e.getSafetyRadiusM()) {
                final Priority priority = priority(e, distance, settings);
                final Episode opened = new Episode(w.projectId(), w.workerId(), equipmentId, sourceTime, priority, false);
                site.episodes.put(episodeKey, opened);
                site.index(w.projectId()).episodeOpened(w.workerId(), equipmentId);
                site.emit(w.projectId(), raised(opened, priority, w, e, distance, sourceTime), sourceTime);
            }
            return;
        }
        if (!operational) {
            clear(episode, w, distance, "proximity.equipment-stopped", e == null ? "machine " + equipmentId + " is gone"
                    : "machine " + equipmentId + " is " + e.getStatus(), sourceTime);
        } else if (!fresh) {
            clear(episode, w, distance, "proximity.stale", "position of worker " + w.workerId() + " is stale", sourceTime);
        } else if (distance > e.getSafetyRadiusM() * (1 + settings.hysteresis())) {
            clear(episode, w, distance, "proximity.left", String.format(Locale.ROOT,
                    "worker %s left the radius of %s (%.1f m)", w.workerId(), equipmentId, distance), sourceTime);
        } else if (!episode.escalated() && episode.priority() != Priority.EMERGENCY && distance <= e.getSafetyRadiusM()
                && priority(e, distance, settings) == Priority.EMERGENCY) {
            final Episode escalated = episode.escalate();
            site.episodes.put(episodeKey, escalated);
            site.emit(w.projectId(), raised(escalated, Priority.EMERGENCY, w, e, distance, sourceTime), sourceTime);
        }
    }

    private static Priority priority(final EquipmentStatus e, final double distance, final ProximitySettings settings) {
        return e.getMoving() || distance <= e.getSafetyRadiusM() * settings.innerFraction() ? Priority.EMERGENCY
                : Priority.URGENT;
    }

    private Alert raised(final Episode episode, final Priority priority, final WorkerRecord w, final EquipmentStatus e,
            final double distance, final long sourceTime) {
        final String rule = e.getMoving() ? "proximity.moving"
                : distance <= e.getSafetyRadiusM() * site.settings.proximity(w.projectId()).innerFraction()
                        ? "proximity.inner" : "proximity.radius";
        final String message = String.format(Locale.ROOT, "Worker %s is %.1f m from %s %s (safety radius %.1f m%s)",
                w.workerId(), distance, e.getType(), e.getEquipmentId(), e.getSafetyRadiusM(),
                e.getMoving() ? ", machine moving" : "");
        return Alerts.alert(alertId(episode, priority), AlertType.PROXIMITY, priority, AlertState.RAISED,
                        w.projectId(), rule, message, sourceTime, site.wallNow())
                .setWorkerId(w.workerId())
                .setEquipmentId(e.getEquipmentId())
                .setZone(w.zone())
                .setLat(w.lat())
                .setLng(w.lng())
                .setMetric("distance_m")
                .setValue(distance)
                .setLimit(e.getSafetyRadiusM())
                .setLimitSource(RuleDefaults.PROXIMITY_SOURCE)
                .build();
    }

    private void clear(final Episode episode, final WorkerRecord w, final Double distance, final String rule,
            final String why, final long sourceTime) {
        site.episodes.delete(Site.key(episode.projectId(), episode.workerId(), episode.equipmentId()));
        site.index(episode.projectId()).episodeClosed(episode.workerId(), episode.equipmentId());
        final List<Priority> raised = new ArrayList<>(List.of(episode.priority()));
        if (episode.escalated()) {
            raised.add(Priority.EMERGENCY);
        }
        for (final Priority priority : raised) {
            final Alert alert = Alerts.alert(alertId(episode, priority), AlertType.PROXIMITY, priority, AlertState.CLEARED,
                            episode.projectId(), rule, "Cleared: " + why, sourceTime, site.wallNow())
                    .setWorkerId(episode.workerId())
                    .setEquipmentId(episode.equipmentId())
                    .setZone(w == null ? null : w.zone())
                    .setLat(w == null ? null : w.lat())
                    .setLng(w == null ? null : w.lng())
                    .setMetric("distance_m")
                    .setValue(distance == null || distance.isInfinite() ? null : distance)
                    .setLimitSource(RuleDefaults.PROXIMITY_SOURCE)
                    .build();
            site.emit(episode.projectId(), alert, sourceTime);
        }
    }

    /** The first RAISED alert of the episode has the plain id; the escalation adds EMERGENCY before the start. */
    static String alertId(final Episode episode, final Priority priority) {
        return priority == episode.priority()
                ? Alerts.id(AlertType.PROXIMITY, episode.projectId(), episode.start(), episode.workerId(), episode.equipmentId())
                : Alerts.id(AlertType.PROXIMITY, episode.projectId(), episode.start(), episode.workerId(),
                        episode.equipmentId(), Priority.EMERGENCY.name());
    }

    private void index(final EquipmentStatus e) {
        final ProjectIndex index = site.index(e.getProjectId());
        if (e.getStatus() == EquipmentState.OPERATIONAL) {
            final double hysteresis = site.settings.proximity(e.getProjectId()).hysteresis();
            index.machines.put(e.getEquipmentId(), e.getLat(), e.getLng(), e.getSafetyRadiusM() * (1 + hysteresis));
        } else {
            index.machines.remove(e.getEquipmentId());
        }
    }
}
