package io.sitewire.fault;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A site's sensors producing while the test breaks things: every tick one worn device raises a FALL alarm (which the
 * streams app must turn into exactly one EMERGENCY alert) and a few gas sensors report clean air (bulk telemetry, no
 * alert). It records what the brokers acknowledged and what failed, by the event's id.
 */
final class SensorFlow implements AutoCloseable {

    static final int READINGS_PER_TICK = 5;

    private final Site site;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "sensor-flow");
        t.setDaemon(true);
        return t;
    });
    private final long t0 = System.currentTimeMillis();
    private final AtomicLong ticks = new AtomicLong();
    private final Set<String> sentAlarms = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedAlarms = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedReadings = ConcurrentHashMap.newKeySet();
    private final Map<String, Exception> failed = new ConcurrentHashMap<>();

    SensorFlow(final Site site) {
        this.site = site;
    }

    /** Starts producing one tick every {@code periodMs}. */
    SensorFlow start(final long periodMs) {
        ticker.scheduleAtFixedRate(this::tick, 0, periodMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One tick now, on the caller's thread (for tests that drive the flow step by step). */
    void tick() {
        final long n = ticks.getAndIncrement();
        final long time = t0 + n;
        final WearableAlarm alarm = new WearableAlarm(site.project, "w" + n, "helmet-" + n, AlarmKind.FALL, null, null, time);
        final String alertId = expectedAlertId(alarm);
        sentAlarms.add(alertId);
        site.send(alarm, (metadata, e) -> record(alertId, ackedAlarms, e));
        for (int i = 0; i < READINGS_PER_TICK; i++) {
            final String id = "gas-" + i + "@" + time;
            site.send(new SensorReading(site.project, "gas-" + i, "basement", Metric.co_ppm, 2.0, null, time),
                    (metadata, e) -> record(id, ackedReadings, e));
        }
    }

    private void record(final String id, final Set<String> acked, final Exception e) {
        if (e == null) {
            acked.add(id);
        } else {
            failed.put(id, e);
        }
    }

    static String expectedAlertId(final WearableAlarm alarm) {
        return "FALL:" + alarm.getProjectId() + ":" + alarm.getWorkerId() + ":" + alarm.getDeviceId() + ":" + alarm.getEventTime();
    }

    static String readingId(final SensorReading reading) {
        return reading.getSensorId() + "@" + reading.getEventTime();
    }

    /** Stops producing and waits until every record sent has been acknowledged or has failed. */
    void stop() {
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sensor flow did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        site.flush();
    }

    int ackedAlarmCount() {
        return ackedAlarms.size();
    }

    Set<String> sentAlarms() {
        return Set.copyOf(sentAlarms);
    }

    Set<String> ackedAlarms() {
        return Set.copyOf(ackedAlarms);
    }

    Set<String> ackedReadings() {
        return Set.copyOf(ackedReadings);
    }

    Map<String, Exception> failed() {
        return Map.copyOf(failed);
    }

    List<String> failureSamples() {
        return failed.entrySet().stream().limit(3).map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
