package io.sitewire.streams.air.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleSerdeTest {

    @Test
    void roundTripsValuesAndOptionalIds() {
        final Sample.SampleSerde serde = new Sample.SampleSerde();
        for (final Sample s : new Sample[] {
            new Sample(12.5, "zone Ä", "w-1", null),
            new Sample(0, null, null, "m-3"),
            new Sample(-0.0, "", "", "")}) {
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", s))).isEqualTo(s);
        }
    }
}
