package io.sitewire.streams.support;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalid events ({@link InvalidEventException}, thrown by the validation step right after each source) go to the
 * dead-letter topic with their raw bytes and processing goes on.
 *
 * <p>Any other exception thrown by a rule is dead-lettered too, logged at ERROR, and processing goes on. Failing the
 * task instead would not save the record: the restarted task would read it again and fail again, and while it loops no
 * alert of that partition, emergencies included, would be produced. The dead letter keeps the record for replay.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        final String reason;
        if (exception instanceof InvalidEventException && deadLetters.reportedElsewhere(context.topic())) {
            LOG.debug("Skipping invalid event at {}/{}/{} (dead-lettered by the instance that owns the topic)",
                    context.topic(), context.partition(), context.offset());
            return Response.resume();
        }
        if (exception instanceof InvalidEventException invalid) {
            reason = "Invalid event at topic '" + context.topic() + "' partition " + context.partition() + " offset "
                    + context.offset() + ": " + String.join("; ", invalid.problems());
            LOG.warn("Dead-lettering invalid event: {}", reason);
        } else {
            reason = "Processing failed in " + context.processorNodeId() + " at topic '" + context.topic() + "' partition "
                    + context.partition() + " offset " + context.offset() + ": " + exception;
            LOG.error("Dead-lettering a record that a rule failed on: {}", reason, exception);
        }
        return Response.resume(List.of(deadLetters.record(context, reason)));
    }
}
