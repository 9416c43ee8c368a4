package io.sitewire.streams;

import static io.sitewire.streams.Events.alarm;
import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.machine;
import static io.sitewire.streams.Events.position;
import static io.sitewire.streams.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.WorkerPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTest {

    private static final String P = "p-dlq";

    private static byte[] bytes(final ByteBuffer buffer) {
        final ByteBuffer copy = buffer.duplicate();
        final byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /**
     * Runs at_least_once: under exactly-once the TopologyTestDriver's MockProducer drops records sent outside a
     * processed record's transaction (its clear() discards uncommitted sends), which is where a deserialization
     * handler's dead letters go. The real broker path, under exactly-once, is covered by StreamsAppIT.
     */
    @Test
    void undecodableBytesAreDeadLetteredWithTheirOriginAndProcessingGoesOn(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir, Harness.atLeastOnce())) {
            final String topic = h.catalogue.workerPositions().name();
            final byte[] garbage = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
            // When garbage and then a good position arrive on the positions topic
            h.pipeRaw(topic, P, garbage, T0);
            h.pipe(position(P, "w1", at(0, 0), T0 + 1));
            // Then the garbage is a dead letter keyed topic/partition/offset, with raw key and value and a reason
            final List<KeyValue<String, DeadLetter>> letters = h.deadLetters();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).key).isEqualTo(topic + "/0/0");
            final DeadLetter letter = letters.get(0).value;
            assertThat(letter.getApp()).isEqualTo(h.config.applicationId());
            assertThat(letter.getSourceTopic()).isEqualTo(topic);
            assertThat(letter.getSourcePartition()).isZero();
            assertThat(letter.getSourceOffset()).isZero();
            assertThat(bytes(letter.getKey())).isEqualTo(P.getBytes(StandardCharsets.UTF_8));
            assertThat(bytes(letter.getValue())).isEqualTo(garbage);
            assertThat(letter.getReason()).startsWith("Cannot decode value at topic '" + topic + "' partition 0 offset 0");
            assertThat(letter.getFailedAt()).isPositive();
            // And the good record after it was processed
            assertThat(h.workerStates()).extracting(kv -> kv.key).containsExactly(P + "/w1");
        }
    }

    /**
     * Every kind of poison the deserialization handler and the validation must catch, interleaved with good records
     * of other workers: each poison record is a dead letter naming its origin and why, each good one is processed.
     */
    @Test
    void poisonOfEveryKindMixedWithGoodRecordsIsDeadLetteredAndTheGoodOnesAreProcessed(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir, Harness.atLeastOnce())) {
            final String topic = h.catalogue.workerPositions().name();
            final byte[] good = h.serde(WorkerPosition.class).serializer().serialize(topic, position(P, "w0", at(0, 0), T0));
            final byte[] badMagic = good.clone();
            badMagic[0] = 1;
            final byte[] unknownId = good.clone();
            ByteBuffer.wrap(unknownId).putInt(1, 987_654_321);
            final byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
            final WorkerPosition offTheEarth = new WorkerPosition(P, "w-bad", 200.0, 0.0, null, null, T0);
            final byte[] invalid = h.serde(WorkerPosition.class).serializer().serialize(topic, offTheEarth);
            final List<byte[]> poison = List.of(badMagic, unknownId, truncated, invalid);
            final List<String> reasons = List.of("expected magic byte 0x00", "schema id 987654321 is unknown", "Avro data ends early", "lat must be within [-90, 90], got 200.0");
            // When good positions of workers g0..g4 alternate with the four poison records (offsets 1, 3, 5, 7)
            for (int i = 0; i < 5; i++) {
                h.pipe(position(P, "g" + i, at(i, i), T0 + 2L * i));
                if (i < poison.size()) {
                    h.pipeRaw(topic, P, poison.get(i), T0 + 2L * i + 1);
                }
            }
            // Then each poison record is a dead letter with its origin, its raw bytes and its own reason
            final List<KeyValue<String, DeadLetter>> letters = h.deadLetters();
            assertThat(letters).extracting(kv -> kv.key).containsExactly(topic + "/0/1", topic + "/0/3", topic + "/0/5", topic + "/0/7");
            for (int i = 0; i < poison.size(); i++) {
                final DeadLetter letter = letters.get(i).value;
                assertThat(letter.getSourceTopic()).isEqualTo(topic);
                assertThat(letter.getSourcePartition()).isZero();
                assertThat(letter.getSourceOffset()).isEqualTo(2L * i + 1);
                assertThat(letter.getApp()).isEqualTo(h.config.applicationId());
                assertThat(bytes(letter.getValue())).isEqualTo(poison.get(i));
                assertThat(bytes(letter.getKey())).isEqualTo(P.getBytes(StandardCharsets.UTF_8));
                assertThat(letter.getReason()).as("reason %d", i).containsIgnoringCase(reasons.get(i));
            }
            // And every good record was processed, in order
            assertThat(h.workerStates()).extracting(kv -> kv.key).containsExactly(P + "/g0", P + "/g1", P + "/g2", P + "/g3", P + "/g4");
        }
    }

    @Test
    void invalidEventsAreDeadLetteredUnderExactlyOnceAndTheNextOneIsProcessed(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir)) {
            final WorkerPosition offTheEarth = new WorkerPosition(P, "w1", 200.0, 0.0, null, null, T0);
            final byte[] raw = h.serde(WorkerPosition.class).serializer().serialize(h.catalogue.workerPositions().name(), offTheEarth);
            // When an off-the-earth position, a machine with a radius in centimetres and a valid position arrive
            h.pipe(offTheEarth);
            h.pipe(machine(P, "crane-1", at(0, 0), 3000, EquipmentState.OPERATIONAL, false, T0 + 1));
            h.pipe(position(P, "w1", at(0, 0), T0 + 2));
            // Then the first two are dead letters naming every problem, the valid one went through
            final List<KeyValue<String, DeadLetter>> letters = h.deadLetters();
            assertThat(letters).extracting(kv -> kv.key).containsExactly(
                    h.catalogue.workerPositions().name() + "/0/0", h.catalogue.equipmentStatus().name() + "/0/0");
            assertThat(letters.get(0).value.getReason()).contains("lat must be within [-90, 90], got 200.0");
            assertThat(bytes(letters.get(0).value.getValue())).isEqualTo(raw);
            assertThat(letters.get(1).value.getReason()).contains("safetyRadiusM must be in (0, 500.0]");
            assertThat(h.workerStates()).hasSize(1);
            assertThat(h.equipmentStates()).isEmpty();
        }
    }

    @Test
    void anInvalidWearableAlarmIsDeadLetteredNotSilentlyDropped(@TempDir final Path stateDir) {
        try (Harness h = new Harness(stateDir)) {
            h.pipe(alarm(P, "", "tag-1", AlarmKind.SOS, null, T0));
            assertThat(h.alerts()).isEmpty();
            assertThat(h.deadLetters()).extracting(kv -> kv.value.getReason())
                    .singleElement().asString().contains("workerId must not be blank");
        }
    }
}
