package io.sitewire.streams.support;

import io.sitewire.schemas.registry.AvroSerdeException;
import io.sitewire.schemas.registry.DecodeFailure;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be decoded goes to the dead-letter topic with its raw bytes; processing goes on. A record that
 * could not be decoded only because the registry was unreachable is not dead-lettered: the thread fails instead.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
            final Exception exception) {
        final String reason = DecodeFailure.describe(record, exception);
        if (exception instanceof AvroSerdeException serde && !serde.isPoison()) {
            // Not the record's fault (the registry stayed unreachable): failing resumes from the last commit later,
            // while a dead letter would take a good record out of the alert path for good.
            LOG.error("Cannot decode a record for now, stopping this thread rather than skipping it: {}", reason);
            return Response.fail();
        }
        if (deadLetters.reportedElsewhere(record.topic())) {
            LOG.debug("Skipping undecodable record (dead-lettered by the instance that owns the topic): {}", reason);
            return Response.resume();
        }
        LOG.warn("Dead-lettering undecodable record: {}", reason);
        return Response.resume(List.of(deadLetters.record(record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), reason)));
    }
}
