package io.sitewire.streams.air.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.streams.support.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachedStoreTest {

    private KeyValueStore<String, ZoneEpisode> store;
    private CachedStore<ZoneEpisode> cached;

    @BeforeEach
    void openStore() throws Exception {
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "state")), "cached");
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cached-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        final MockProcessorContext<String, String> context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("zones"), Serdes.String(),
                new JsonSerde<>(ZoneEpisode.class)).withLoggingDisabled().withCachingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        cached = new CachedStore<>(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void givenAValuePutThroughTheCache_whenRead_thenTheSameObjectAndTheStoreHoldsIt() {
        // Given
        final ZoneEpisode zone = new ZoneEpisode();
        zone.open(1_764_000_000_000L, io.sitewire.events.Priority.URGENT, 200, "src");
        cached.put("p/z/air.co.ceiling", zone);

        // When / Then: no JSON round trip for the cached copy, the store has the written value
        assertThat(cached.get("p/z/air.co.ceiling")).isSameAs(zone);
        assertThat(store.get("p/z/air.co.ceiling").start).isEqualTo(1_764_000_000_000L);
    }

    @Test
    void givenAValueOnlyInTheStore_whenRead_thenItIsReadOnceAndKept() {
        // Given: written before this processor instance existed (a restored changelog)
        final ZoneEpisode restored = new ZoneEpisode();
        restored.zone = "basement";
        store.put("p/basement/air.co.ceiling", restored);

        // When
        final ZoneEpisode first = cached.get("p/basement/air.co.ceiling");

        // Then
        assertThat(first.zone).isEqualTo("basement");
        assertThat(cached.get("p/basement/air.co.ceiling")).isSameAs(first);
        assertThat(cached.get("p/nowhere/air.co.ceiling")).isNull();
    }

    @Test
    void givenAValueChangedAndNotPutBack_whenCleared_thenTheStoredValueIsReadAgain() {
        // Given: a record failed half way, after changing the copy and before putting it
        final ZoneEpisode zone = new ZoneEpisode();
        cached.put("k", zone);
        cached.get("k").open(1_764_000_000_000L, io.sitewire.events.Priority.URGENT, 200, "src");

        // When
        cached.clear();

        // Then
        assertThat(cached.get("k").isOpen()).isFalse();
    }

    @Test
    void givenADeletedKey_whenRead_thenNull() {
        // Given
        cached.put("k", new ZoneEpisode());

        // When
        cached.delete("k");

        // Then
        assertThat(cached.get("k")).isNull();
        assertThat(store.get("k")).isNull();
    }
}
