package io.sitewire.schemas.replay;

import io.sitewire.schemas.EventType;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record of a replay, decoded, with where it was read.
 *
 * @param topic     the topic it was read from
 * @param partition its partition
 * @param offset    its offset
 * @param timestamp its Kafka timestamp (epoch ms; producer CreateTime unless the topic uses LogAppendTime)
 * @param key       its key (a {@link io.sitewire.schemas.topics.KeyLayout} string), null if it had none
 * @param value     the decoded value, an instance of the topic's value class
 */
public record ReplayedRecord(String topic, int partition, long offset, long timestamp, String key, SpecificRecord value) {

    public ReplayedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
    }

    /** The event type of the value, whose JSON name is the {@code type} of the NDJSON line. */
    public EventType type() {
        return EventType.of(value);
    }
}
