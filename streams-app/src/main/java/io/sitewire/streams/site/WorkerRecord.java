package io.sitewire.streams.site;

import io.sitewire.events.WorkerState;
import io.sitewire.events.WorkerStatus;

/**
 * What the site task keeps about a worker (internal state, JSON in the changelog). Times are epoch ms.
 *
 * @param positionTime event time of the position held (0: none yet); older positions never replace it
 * @param presenceTime event time of the presence event last applied; older presence events change nothing
 * @param lastSeen     newest event time of any event from this worker
 * @param lastArrival  wall-clock time the last event from this worker was processed (the missing-worker clock)
 * @param missingSince episode start (the lastSeen it was raised for) of an open MISSING_WORKER alert, else null
 */
public record WorkerRecord(
        String projectId,
        String workerId,
        boolean checkedIn,
        WorkerStatus status,
        String zone,
        String trade,
        Double lat,
        Double lng,
        long positionTime,
        long presenceTime,
        long lastSeen,
        long lastArrival,
        Long missingSince) {

    static WorkerRecord unknown(final String projectId, final String workerId) {
        return new WorkerRecord(projectId, workerId, false, WorkerStatus.ACTIVE, null, null, null, null, 0, 0, 0, 0, null);
    }

    boolean hasPosition() {
        return lat != null && lng != null;
    }

    /** Watched for silence: checked in and not declared off site. */
    boolean watched() {
        return checkedIn && status != WorkerStatus.OFFSITE;
    }

    WorkerRecord seen(final long eventTime, final long arrival) {
        return new WorkerRecord(projectId, workerId, checkedIn, status, zone, trade, lat, lng, positionTime, presenceTime,
                Math.max(lastSeen, eventTime), Math.max(lastArrival, arrival), missingSince);
    }

    WorkerRecord withPosition(final double newLat, final double newLng, final String newZone, final long time) {
        return new WorkerRecord(projectId, workerId, checkedIn, status, newZone == null ? zone : newZone, trade, newLat,
                newLng, time, presenceTime, lastSeen, lastArrival, missingSince);
    }

    WorkerRecord withPresence(final boolean newCheckedIn, final WorkerStatus newStatus, final String newZone,
            final String newTrade, final long time) {
        return new WorkerRecord(projectId, workerId, newCheckedIn, newStatus, newZone == null ? zone : newZone,
                newTrade == null ? trade : newTrade, lat, lng, positionTime, time, lastSeen, lastArrival, missingSince);
    }

    WorkerRecord withMissingSince(final Long start) {
        return new WorkerRecord(projectId, workerId, checkedIn, status, zone, trade, lat, lng, positionTime, presenceTime,
                lastSeen, lastArrival, start);
    }

    WorkerState toState() {
        return WorkerState.newBuilder()
                .setProjectId(projectId)
                .setWorkerId(workerId)
                .setCheckedIn(checkedIn)
                .setStatus(status)
                .setZone(zone)
                .setTrade(trade)
                .setLat(lat)
                .setLng(lng)
                .setLastSeen(lastSeen)
                .build();
    }
}
