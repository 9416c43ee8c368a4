package io.sitewire.schemas.registry;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * One-line descriptions of a record that failed to decode, naming topic, partition and offset, for consumer logs
 * and the Streams dead-letter handler. A deserializer never learns the partition or offset, so the caller adds
 * them here. Format: {@code Cannot decode value at topic 'T' partition P offset O: <reason>}.
 */
public final class DecodeFailure {

    private DecodeFailure() {
    }

    /** The description of a failure to decode the record at {@code topic}/{@code partition}/{@code offset}. */
    public static String describe(final String topic, final int partition, final long offset, final Throwable error) {
        final Optional<AvroSerdeException> serde = find(error);
        final String what = serde.map(e -> e.isKey() ? "key" : "value").orElse("record");
        final String reason = serde.map(AvroSerdeException::reason).orElseGet(() -> summary(error));
        return "Cannot decode " + what + " at topic '" + topic + "' partition " + partition + " offset " + offset
                + ": " + reason;
    }

    /** For a Streams deserialization handler, which is given the raw record and the exception. */
    public static String describe(final ConsumerRecord<?, ?> record, final Throwable error) {
        return describe(record.topic(), record.partition(), record.offset(), error);
    }

    /** For a consumer whose poll() threw: Kafka wraps the deserializer's exception with partition and offset. */
    public static String describe(final RecordDeserializationException error) {
        return describe(error.topicPartition().topic(), error.topicPartition().partition(), error.offset(), error);
    }

    /** The serde failure in {@code error}'s cause chain, if there is one. */
    public static Optional<AvroSerdeException> find(final Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AvroSerdeException serde) {
                return Optional.of(serde);
            }
        }
        return Optional.empty();
    }

    private static String summary(final Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root && root instanceof RecordDeserializationException) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
