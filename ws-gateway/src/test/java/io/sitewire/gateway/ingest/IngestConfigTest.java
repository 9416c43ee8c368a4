package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    @Test
    void defaultsAndOverrides() {
        assertThat(IngestConfig.fromProperties(Map.of())).isEqualTo(new IngestConfig(1 << 20, 1000, Duration.ofSeconds(10), 64));
        assertThat(IngestConfig.fromProperties(Map.of(IngestConfig.MAX_BODY_BYTES, "65536", IngestConfig.MAX_EVENTS, " 50 ",
                IngestConfig.ACK_TIMEOUT, "PT2S", IngestConfig.MAX_CONCURRENT, "8")))
                .isEqualTo(new IngestConfig(65536, 50, Duration.ofSeconds(2), 8));
    }

    @Test
    void producerSettingsGiveUpBeforeTheAnswerIsWritten() {
        final java.util.Map<String, Object> settings = IngestConfig.defaults().producerSettings();
        assertThat(settings).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        final long delivery = Long.parseLong((String) settings.get("delivery.timeout.ms"));
        final long request = Long.parseLong((String) settings.get("request.timeout.ms"));
        final long linger = Long.parseLong((String) settings.get("linger.ms"));
        assertThat(delivery).isLessThan(IngestConfig.DEFAULT_ACK_TIMEOUT.toMillis()).isGreaterThanOrEqualTo(request + linger);
        // the Kafka client accepts them
        final java.util.Map<String, Object> all = new java.util.HashMap<>(settings);
        all.put("bootstrap.servers", "127.0.0.1:9");
        all.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        all.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        assertThat(new org.apache.kafka.clients.producer.ProducerConfig(all).getInt("delivery.timeout.ms")).isEqualTo((int) delivery);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> IngestConfig.fromProperties(Map.of(IngestConfig.MAX_BODY_BYTES, "1MB")))
                .hasMessage("ingest.max.body.bytes must be an integer, got: 1MB");
        assertThatThrownBy(() -> IngestConfig.fromProperties(Map.of(IngestConfig.MAX_EVENTS, "0")))
                .hasMessageStartingWith("ingest.max.events must be between 1 and");
        assertThatThrownBy(() -> IngestConfig.fromProperties(Map.of(IngestConfig.ACK_TIMEOUT, "10")))
                .hasMessageStartingWith("ingest.ack.timeout must be an ISO-8601 duration");
        assertThatThrownBy(() -> IngestConfig.fromProperties(Map.of(IngestConfig.ACK_TIMEOUT, "PT0S")))
                .hasMessageStartingWith("ingest.ack.timeout must be more than zero");
        assertThatThrownBy(() -> IngestConfig.fromProperties(Map.of(IngestConfig.MAX_CONCURRENT, "0")))
                .hasMessageStartingWith("ingest.max.concurrent.requests must be at least 1");
    }
}
