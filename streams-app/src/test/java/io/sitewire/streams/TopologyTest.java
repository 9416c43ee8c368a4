package io.sitewire.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final StreamsAppConfig CONFIG = StreamsAppConfig.of(Map.of("schema.registry.url", "mem://topology-test"));

    private static Set<String> sources(final Topology topology) {
        final Set<String> topics = new TreeSet<>();
        for (final TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (final TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    @Test
    void everyNodeStoreAndTopicIsNamedByUs() {
        final Topology topology = AlertsTopology.build(CONFIG, InMemorySchemaRegistry.named("topology-test"));
        final String description = topology.describe().toString();
        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-").doesNotContain("KSTREAM_");
    }

    @Test
    void theEmergencyPartReadsItsInputsDirectlyWithoutRepartitioning() {
        final Topology emergency = AlertsTopology.build(CONFIG, InMemorySchemaRegistry.named("topology-test"), Instance.EMERGENCY);
        final var catalogue = CONFIG.catalogue();
        final Set<String> expected = new TreeSet<>();
        expected.add(catalogue.wearableAlarms().name());
        catalogue.broadcasts().topicsByUrgency().forEach(t -> expected.add(t.name()));
        assertThat(sources(emergency)).isEqualTo(expected);
        assertThat(emergency.describe().toString()).doesNotContain("repartition");
        assertThat(emergency.describe().globalStores()).hasSize(1);
    }

    @Test
    void theSitePartReadsPositionsDirectlyAndRepartitionsTheRestByProject() {
        final Topology site = AlertsTopology.build(CONFIG, InMemorySchemaRegistry.named("topology-test"), Instance.SITE);
        final var catalogue = CONFIG.catalogue();
        final Set<String> sources = sources(site);
        assertThat(sources).contains(catalogue.workerPositions().name(), catalogue.workerPresence().name(),
                catalogue.equipmentStatus().name(), catalogue.sensorReadings().name(), catalogue.wearableAlarms().name(),
                "site-presence-repartition", "site-equipment-repartition", "site-worker-readings-repartition",
                "site-wearables-repartition", "site-evacuations-repartition");
        assertThat(site.describe().globalStores()).isEmpty();
    }
}
