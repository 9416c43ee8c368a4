package io.sitewire.streams.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class AlertProductionExceptionHandlerTest {

    private static final ProducerRecord<byte[], byte[]> ALERT = new ProducerRecord<>("sitewire.alerts.emergency", new byte[] {1});

    private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
        @Override public String topic() { return "sitewire.wearable-alarms"; }
        @Override public int partition() { return 2; }
        @Override public long offset() { return 99; }
        @Override public org.apache.kafka.common.header.Headers headers() { return new RecordHeaders(); }
        @Override public String processorNodeId() { return "emergency-alerts-sink"; }
        @Override public TaskId taskId() { return new TaskId(0, 2); }
        @Override public long timestamp() { return 1L; }
        @Override public byte[] sourceRawKey() { return null; }
        @Override public byte[] sourceRawValue() { return null; }
    };

    private final AlertProductionExceptionHandler handler = new AlertProductionExceptionHandler();

    @Test
    void retriesRetriableErrorsAndFailsOnEverythingElseNeverResumes() {
        assertThat(handler.handleError(CONTEXT, ALERT, new NotEnoughReplicasException("isr")).result()).isEqualTo(Result.RETRY);
        assertThat(handler.handleError(CONTEXT, ALERT, new RecordTooLargeException("big")).result()).isEqualTo(Result.FAIL);
        assertThat(handler.handleError(CONTEXT, ALERT, new TopicAuthorizationException("no")).result()).isEqualTo(Result.FAIL);
        assertThat(handler.handleSerializationError(CONTEXT, ALERT, new SerializationException("x"),
                SerializationExceptionOrigin.VALUE).result()).isEqualTo(Result.FAIL);
    }
}
