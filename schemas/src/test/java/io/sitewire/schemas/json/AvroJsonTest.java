package io.sitewire.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.WorkerStatus;
import io.sitewire.schemas.EventValidation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    @Test
    void recordsRoundTripThroughTheirPlainJsonForm() {
        // Given a wearable reading with an optional field set and one left out
        final SensorReading reading = SensorReading.newBuilder().setProjectId("p1").setSensorId("s1").setZone("basement")
                .setMetric(Metric.co_ppm).setValue(42.5).setWorkerId("w1").setEventTime(1_700_000_000_000L).build();

        // When it is written as JSON and read back
        final String json = AvroJson.toJson(reading);
        final SensorReading back = AvroJson.fromJson(json, SensorReading.class);

        // Then the JSON is plain (no union wrapping) and nothing is lost
        assertThat(json).isEqualTo("{\"projectId\":\"p1\",\"sensorId\":\"s1\",\"zone\":\"basement\",\"metric\":\"co_ppm\","
                + "\"value\":42.5,\"workerId\":\"w1\",\"eventTime\":1700000000000}");
        assertThat(back).isEqualTo(reading);
    }

    @Test
    void optionalFieldsAndArraysTakeTheirDefaultsWhenLeftOut() {
        final WorkerPresence presence = AvroJson.fromJson(
                "{\"projectId\":\"p1\",\"workerId\":\"w1\",\"action\":\"CHECK_IN\",\"status\":\"ACTIVE\",\"eventTime\":5}",
                WorkerPresence.class);
        assertThat(presence.getZone()).isNull();
        assertThat(presence.getDeviceIds()).isEmpty();
        assertThat(presence.getAction()).isEqualTo(PresenceAction.CHECK_IN);
        assertThat(presence.getStatus()).isEqualTo(WorkerStatus.ACTIVE);
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        assertThatThrownBy(() -> AvroJson.fromJson(
                "{\"projectId\":7,\"sensorId\":\"s1\",\"metric\":\"co2\",\"value\":\"high\",\"eventTime\":1.5,\"colour\":\"red\"}",
                SensorReading.class))
                .isInstanceOfSatisfying(JsonFormException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                        "$.projectId: expected a string, got number",
                        "$.zone: required",
                        "$.metric: must be one of [co_ppm, h2s_ppm, o2_pct, lel_pct, pm25_ugm3, pm10_ugm3, silica_ugm3, noise_dba, heart_rate_bpm, other], got \"co2\"",
                        "$.value: expected a number, got string",
                        "$.eventTime: expected an integer (epoch milliseconds for times), got number",
                        "$.colour: unknown field (SensorReading has [projectId, sensorId, zone, metric, value, workerId, eventTime])"));
    }

    @Test
    void notJsonAtAllIsOneClearError() {
        assertThatThrownBy(() -> AvroJson.fromJson("{oops", SensorReading.class))
                .isInstanceOfSatisfying(JsonFormException.class, e -> assertThat(e.errors()).singleElement()
                        .asString().startsWith("$: not valid JSON"));
    }

    @Test
    void validationRejectsImpossibleReadingsAndKeysWithSeparators() {
        final SensorReading bad = SensorReading.newBuilder().setProjectId("p/1").setSensorId("s1").setZone("z")
                .setMetric(Metric.o2_pct).setValue(140).setEventTime(0).build();
        assertThat(EventValidation.problems(bad)).containsExactly(
                "projectId must not contain '/': p/1",
                "value 140.0 is not possible for o2_pct",
                "eventTime must be epoch milliseconds > 0, got 0");
        assertThat(EventValidation.problems(SensorReading.newBuilder(bad).setProjectId("p1").setValue(20.9).setEventTime(1).build()))
                .isEqualTo(List.of());
    }
}
