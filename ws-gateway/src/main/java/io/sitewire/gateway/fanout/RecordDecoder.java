package io.sitewire.gateway.fanout;

import org.apache.avro.specific.SpecificRecord;

/** Turns a record value read from a streamed topic into its Avro object (registry wire format). */
@FunctionalInterface
public interface RecordDecoder {

    /** The decoded value; null for a tombstone. Throws (any RuntimeException) for bytes that do not decode. */
    SpecificRecord decode(String topic, byte[] value);
}
