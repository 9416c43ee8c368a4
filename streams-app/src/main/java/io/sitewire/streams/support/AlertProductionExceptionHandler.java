package io.sitewire.streams.support;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never drops output. A retriable send error is retried; anything else (record too large, authorization, an output
 * that cannot be serialised) fails the task: under exactly-once the transaction aborts and nothing of it is visible, the
 * app stops with a non-zero exit, and a restart resumes from the last commit. A lost alert would be silent; a stopped
 * app is not.
 */
public final class AlertProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProductionExceptionHandler.class);

    @Override
    public void configure(final Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
            final Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warn("Retrying send to {} after retriable error: {}", record.topic(), exception.toString());
            return Response.retry();
        }
        LOG.error("Cannot write a record to {} (from {} at {}/{}/{}); failing rather than dropping it", record.topic(),
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface's signature
    public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record,
            final Exception exception, final SerializationExceptionOrigin origin) {
        LOG.error("Cannot serialise the {} of a record for {} (from {}); failing rather than dropping it", origin,
                record.topic(), context.processorNodeId(), exception);
        return Response.fail();
    }
}
