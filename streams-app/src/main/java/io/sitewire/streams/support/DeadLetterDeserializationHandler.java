package io.sitewire.streams.support;

import io.sitewire.schemas.registry.DecodeFailure;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record that cannot be decoded goes to the dead-letter topic with its raw bytes; processing goes on. */
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
        if (deadLetters.reportedElsewhere(record.topic())) {
            LOG.debug("Skipping undecodable record (dead-lettered by the instance that owns the topic): {}", reason);
            return Response.resume();
        }
        LOG.warn("Dead-lettering undecodable record: {}", reason);
        return Response.resume(List.of(deadLetters.record(record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), reason)));
    }
}
