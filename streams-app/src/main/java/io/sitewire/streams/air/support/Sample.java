package io.sitewire.streams.air.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One reading waiting in a series' timeline (its time is in the store key). It carries the reading's zone, worker
 * and sensor (each may be null when the series key already says it) so that an alert names where the triggering
 * reading was taken, whatever order the readings arrived in.
 */
public record Sample(double value, String zone, String workerId, String sensorId) {

    /** Compact binary serde: this store sees one write per reading. */
    public static final class SampleSerde implements Serde<Sample> {

        @Override
        public Serializer<Sample> serializer() {
            return (topic, s) -> {
                if (s == null) {
                    return null;
                }
                final byte[] zone = bytes(s.zone());
                final byte[] worker = bytes(s.workerId());
                final byte[] sensor = bytes(s.sensorId());
                final ByteBuffer b = ByteBuffer.allocate(8 + 12 + zone.length + worker.length + sensor.length);
                b.putDouble(s.value());
                put(b, zone);
                put(b, worker);
                put(b, sensor);
                return b.array();
            };
        }

        @Override
        public Deserializer<Sample> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                try {
                    final ByteBuffer b = ByteBuffer.wrap(data);
                    final double value = b.getDouble();
                    return new Sample(value, string(b), string(b), string(b));
                } catch (final RuntimeException e) {
                    throw new SerializationException("corrupt sample of " + data.length + " bytes", e);
                }
            };
        }

        private static final byte[] NULL = new byte[0];

        private static byte[] bytes(final String s) {
            return s == null ? NULL : s.getBytes(StandardCharsets.UTF_8);
        }

        private static void put(final ByteBuffer b, final byte[] bytes) {
            b.putInt(bytes == NULL ? -1 : bytes.length);
            b.put(bytes);
        }

        private static String string(final ByteBuffer b) {
            final int n = b.getInt();
            if (n < 0) {
                return null;
            }
            final byte[] bytes = new byte[n];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
