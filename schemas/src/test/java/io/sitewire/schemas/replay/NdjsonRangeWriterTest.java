package io.sitewire.schemas.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.events.Alert;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.schemas.json.AvroJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NdjsonRangeWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneLinePerRecordThenTheSummary() throws Exception {
        // Given two replayed records of different types
        final SensorReading reading = Records.reading("p1", "basement", Metric.co_ppm, 31.5, 1_764_057_600_000L);
        final Alert alert = Records.alert("p1", Priority.EMERGENCY, "basement", 1_764_057_600_100L);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Map<String, RangeSummary.TopicCounts> topics = new LinkedHashMap<>();
        topics.put("t.sensor-readings", new RangeSummary.TopicCounts(3, 1, 1, 0, 1));
        topics.put("t.alerts.emergency", new RangeSummary.TopicCounts(1, 1, 0, 0, 0));
        final RangeSummary summary = new RangeSummary("topics=alerts,sensor-readings", 4, 2, 1, 0, 1, topics,
                Duration.ofMillis(1234), false, List.of("Cannot decode value at topic 't.sensor-readings' partition 0 offset 2: x"),
                List.of());

        // When written with the summary
        try (NdjsonRangeWriter writer = new NdjsonRangeWriter(bytes)) {
            writer.accept(new ReplayedRecord("t.sensor-readings", 0, 1, 1_764_057_600_001L, "p1", reading));
            writer.accept(new ReplayedRecord("t.alerts.emergency", 3, 0, 1_764_057_600_200L, "p1", alert));
            writer.writeSummary(summary);
            assertThat(writer.written()).isEqualTo(2);
        }

        // Then there are three '\n'-terminated lines: the records in the documented shape, then the summary
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        final String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(4);
        assertThat(lines[3]).isEmpty();
        final JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.fieldNames()).toIterable().containsExactly("topic", "partition", "offset", "timestamp", "key", "type", "data");
        assertThat(first.get("topic").asText()).isEqualTo("t.sensor-readings");
        assertThat(first.get("partition").asInt()).isZero();
        assertThat(first.get("offset").asLong()).isEqualTo(1);
        assertThat(first.get("timestamp").asLong()).isEqualTo(1_764_057_600_001L);
        assertThat(first.get("key").asText()).isEqualTo("p1");
        assertThat(first.get("type").asText()).isEqualTo("sensor_reading");
        assertThat(AvroJson.fromJson(first.get("data"), SensorReading.class)).isEqualTo(reading);
        final JsonNode second = JSON.readTree(lines[1]);
        assertThat(second.get("type").asText()).isEqualTo("alert");
        assertThat(AvroJson.fromJson(second.get("data"), Alert.class)).isEqualTo(alert);
        final JsonNode last = JSON.readTree(lines[2]).get("summary");
        assertThat(last.get("read").asLong()).isEqualTo(4);
        assertThat(last.get("matched").asLong()).isEqualTo(2);
        assertThat(last.get("failedDecodes").asLong()).isEqualTo(1);
        assertThat(last.get("complete").asBoolean()).isTrue();
        assertThat(last.has("error")).isFalse();
        assertThat(last.get("topics").get("t.sensor-readings").get("failedDecodes").asLong()).isEqualTo(1);
        assertThat(last.get("failures").get(0).asText()).startsWith("Cannot decode value at topic 't.sensor-readings'");
    }

    @Test
    void aCutShortReadEndsWithAnIncompleteSummary() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final RangeSummary summary = new RangeSummary("topics=alerts", 0, 0, 0, 0, 0, Map.of(), Duration.ZERO, false,
                List.of(), List.of("skipped x"));
        try (NdjsonRangeWriter writer = new NdjsonRangeWriter(bytes)) {
            writer.writeSummary(summary, "schema registry unavailable");
        }
        final JsonNode line = JSON.readTree(bytes.toString(StandardCharsets.UTF_8).strip()).get("summary");
        assertThat(line.get("complete").asBoolean()).isFalse();
        assertThat(line.get("error").asText()).isEqualTo("schema registry unavailable");
        assertThat(line.get("notes").get(0).asText()).isEqualTo("skipped x");
    }
}
