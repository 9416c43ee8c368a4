package io.sitewire.gateway.ingest;

import java.util.Locale;

/** Ingest items in their JSON form, for tests; every time is explicit. */
final class Events {

    static final long T0 = 1_764_064_800_000L; // 2025-11-25T10:00:00Z

    private Events() {
    }

    static String sensorReading(final String projectId, final String sensorId, final double value, final long eventTime) {
        return item("sensor_reading", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"sensorId\":\"%s\",\"zone\":\"basement\",\"metric\":\"co_ppm\",\"value\":%s,"
                        + "\"workerId\":null,\"eventTime\":%d}", projectId, sensorId, value, eventTime));
    }

    static String wearableAlarm(final String projectId, final String workerId, final long eventTime) {
        return item("wearable_alarm", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"workerId\":\"%s\",\"deviceId\":\"tag-%s\",\"kind\":\"SOS\",\"lat\":51.5,"
                        + "\"lng\":-0.12,\"eventTime\":%d}", projectId, workerId, workerId, eventTime));
    }

    static String workerPosition(final String projectId, final String workerId, final long eventTime) {
        return item("worker_position", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"workerId\":\"%s\",\"lat\":51.5,\"lng\":-0.12,\"eventTime\":%d}",
                projectId, workerId, eventTime));
    }

    static String workerPresence(final String projectId, final String workerId, final long eventTime) {
        return item("worker_presence", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"workerId\":\"%s\",\"action\":\"CHECK_IN\",\"status\":\"ACTIVE\","
                        + "\"trade\":\"electrician\",\"eventTime\":%d}", projectId, workerId, eventTime));
    }

    static String equipmentStatus(final String projectId, final String equipmentId, final long eventTime) {
        return item("equipment_status", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"equipmentId\":\"%s\",\"type\":\"CRANE\",\"status\":\"OPERATIONAL\","
                        + "\"moving\":true,\"lat\":51.5,\"lng\":-0.12,\"safetyRadiusM\":25.0,\"eventTime\":%d}",
                projectId, equipmentId, eventTime));
    }

    static String manualBroadcast(final String projectId, final String issuedBy, final String priority, final long eventTime) {
        return item("manual_broadcast", String.format(Locale.ROOT,
                "{\"projectId\":\"%s\",\"broadcastId\":\"b-%d\",\"kind\":\"WEATHER\",\"priority\":\"%s\","
                        + "\"targetScope\":\"PROJECT\",\"message\":\"Lightning within 10 km: stop crane work\","
                        + "\"issuedBy\":\"%s\",\"eventTime\":%d}", projectId, eventTime, priority, issuedBy, eventTime));
    }

    static String alert(final String projectId, final long eventTime) {
        return item("alert", String.format(Locale.ROOT,
                "{\"alertId\":\"a-1\",\"projectId\":\"%s\",\"sourceTime\":%d}", projectId, eventTime));
    }

    static String item(final String type, final String data) {
        return "{\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    static String array(final String... items) {
        return "[" + String.join(",", items) + "]";
    }

    static String ndjson(final String... items) {
        return String.join("\n", items) + "\n";
    }
}
