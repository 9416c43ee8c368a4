package io.sitewire.streams.air.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void timedKeysSortByTimeInStoreByteOrder() {
        final Random random = new Random(11);
        final String series = StoreKeys.of("p", "sensor-1", "co_ppm");
        final List<Long> times = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            times.add((long) random.nextInt(Integer.MAX_VALUE) * random.nextInt(1000));
        }
        final Bytes[] keys = times.stream().map(t -> Bytes.wrap(StoreKeys.timed(series, t).getBytes(StandardCharsets.UTF_8)))
                .toArray(Bytes[]::new);
        Arrays.sort(keys);
        final long[] decoded = Arrays.stream(keys).mapToLong(k -> StoreKeys.timeOf(new String(k.get(), StandardCharsets.UTF_8))).toArray();
        assertThat(decoded).isSorted();
    }

    @Test
    void partsAreEscapedSoThatNoIdCanReachIntoAnotherSeries() {
        assertThat(StoreKeys.of("p", "a/b", "x%y")).isEqualTo("p/a%2Fb/x%25y");
        assertThat(StoreKeys.prefix("p")).isEqualTo("p/");
        assertThat(StoreKeys.of("p/q", "s")).doesNotStartWith(StoreKeys.prefix("p"));
    }
}
