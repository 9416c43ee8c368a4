package io.sitewire.streams.support;

import io.sitewire.schemas.EventValidation;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The first step after every source: passes events that {@link EventValidation} accepts, throws
 * {@link InvalidEventException} (dead-lettered by {@link DeadLetterProcessingHandler}) for the others.
 *
 * <p>It also keeps a one-second wall-clock punctuation. A record that fails to deserialise is dead-lettered inside the
 * open transaction, but a task that processed nothing else does not ask for a commit; the punctuation does, so the dead
 * letter becomes visible within a second instead of waiting for the next good record (or being aborted by the
 * transaction timeout and written again).
 */
public final class ValidateEvent<V extends SpecificRecord> implements FixedKeyProcessor<String, V, V> {

    static final Duration COMMIT_KEEPER = Duration.ofSeconds(1);

    private FixedKeyProcessorContext<String, V> context;

    @Override
    public void init(final FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        context.schedule(COMMIT_KEEPER, PunctuationType.WALL_CLOCK_TIME, now -> { });
    }

    @Override
    public void process(final FixedKeyRecord<String, V> record) {
        if (record.value() == null) {
            throw new InvalidEventException(List.of("value is null (a tombstone on an event topic)"));
        }
        final List<String> problems = EventValidation.problems(record.value());
        if (!problems.isEmpty()) {
            throw new InvalidEventException(problems);
        }
        context.forward(record);
    }
}
