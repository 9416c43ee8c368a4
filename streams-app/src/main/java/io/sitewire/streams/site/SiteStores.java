package io.sitewire.streams.site;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.streams.support.EventSerdes;
import io.sitewire.streams.support.JsonSerde;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The site task's state stores (persistent, changelogged, no cache: every write is forwarded at once). */
public final class SiteStores {

    /** projectId/workerId -> {@link WorkerRecord}. */
    public static final String WORKERS = "site-workers";
    /** projectId/equipmentId -> latest {@link EquipmentStatus}. */
    public static final String EQUIPMENT = "site-equipment";
    /** projectId/workerId/equipmentId -> open {@link Episode}. */
    public static final String EPISODES = "site-proximity-episodes";
    /** projectId -> active {@link Evacuation}. */
    public static final String EVACUATIONS = "site-evacuations";

    private SiteStores() {
    }

    static Set<StoreBuilder<?>> builders(final EventSerdes serdes) {
        return Set.of(
                store(WORKERS, new JsonSerde<>(WorkerRecord.class)),
                store(EQUIPMENT, serdes.of(EquipmentStatus.class)),
                store(EPISODES, new JsonSerde<>(Episode.class)),
                store(EVACUATIONS, new JsonSerde<>(Evacuation.class)));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(final String name,
            final org.apache.kafka.common.serialization.Serde<V> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde)
                .withCachingDisabled();
    }
}
