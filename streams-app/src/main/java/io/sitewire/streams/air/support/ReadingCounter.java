package io.sitewire.streams.air.support;

import io.sitewire.events.SensorReading;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;

/**
 * Counts readings a rule did not use (too late, dated in the future, out of order) as a Kafka Streams metric
 * ({@code <operation>-total} and {@code -rate} in group {@code stream-sitewire-rules-metrics}, tagged with the
 * rule family and task) and logs them: every one at DEBUG, and at WARN the 1st, 2nd, 4th, 8th... of a task, so a
 * gateway flushing an hour of buffered readings leaves a trace in the log without flooding it.
 */
public final class ReadingCounter {

    public static final String SCOPE = "sitewire-rules";

    private final Sensor sensor;
    private final Logger log;
    private final String what;
    private long count;
    private final ProcessingContext context;

    public ReadingCounter(final ProcessingContext context, final String family, final String operation,
            final Logger log, final String what) {
        this.context = context;
        this.sensor = context.metrics().addRateTotalSensor(SCOPE, family + "-" + context.taskId(), operation,
                Sensor.RecordingLevel.INFO, "rule-family", family);
        this.log = log;
        this.what = what;
    }

    public void record(final SensorReading r, final String why) {
        sensor.record();
        count++;
        if (Long.bitCount(count) == 1) {
            log.warn("{} #{} in task {}: project={} sensor={} metric={} eventTime={}: {}", what, count, context.taskId(),
                    r.getProjectId(), r.getSensorId(), r.getMetric(), r.getEventTime(), why);
        } else if (log.isDebugEnabled()) {
            log.debug("{} #{}: project={} sensor={} metric={} eventTime={}: {}", what, count, r.getProjectId(),
                    r.getSensorId(), r.getMetric(), r.getEventTime(), why);
        }
    }

    public long count() {
        return count;
    }

    public void close() {
        context.metrics().removeSensor(sensor);
    }

    /** The tags a test needs to find this counter's metric. */
    public static Map<String, String> tags(final String family) {
        return Map.of("rule-family", family);
    }
}
