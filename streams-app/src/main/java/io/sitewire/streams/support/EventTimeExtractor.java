package io.sitewire.streams.support;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record time = the event's own {@code eventTime} (device time), so stream time, windows and staleness follow event
 * time and replays behave like the original run. A device clock far in the future must not drag a task's stream time
 * forward (that would make every other worker's position look stale), so event times are clamped to wall clock plus
 * {@code maxSkewMs}; the alert still reports the event's own time as sourceTime.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    private final long maxSkewMs;

    public EventTimeExtractor(final long maxSkewMs) {
        this.maxSkewMs = maxSkewMs;
    }

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        final long eventTime = eventTime(record.value(), record.timestamp());
        return Math.min(eventTime, System.currentTimeMillis() + maxSkewMs);
    }

    /** The record's {@code eventTime} field (or {@code sourceTime} for alerts), else {@code fallback}. */
    public static long eventTime(final Object value, final long fallback) {
        if (value instanceof SpecificRecord record) {
            final Schema schema = record.getSchema();
            Schema.Field field = schema.getField("eventTime");
            if (field == null) {
                field = schema.getField("sourceTime");
            }
            if (field != null && record.get(field.pos()) instanceof Long time && time > 0) {
                return time;
            }
        }
        return fallback;
    }
}
