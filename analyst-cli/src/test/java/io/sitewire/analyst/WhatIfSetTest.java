package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Priority;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WhatIfSetTest {

    @Test
    void aWhatIfSetHasItsOwnPrefixAndApplicationId() {
        final WhatIfSet set = WhatIfSet.of("co-100", TopicCatalogue.LIVE);
        assertThat(set.catalogue().prefix()).isEqualTo("whatif-co-100");
        assertThat(set.applicationId()).isEqualTo("whatif-co-100");
        assertThat(set.counterpart(TopicCatalogue.LIVE.alerts().topic(Priority.URGENT)).name()).isEqualTo("whatif-co-100.alerts.urgent");
        assertThat(set.counterpart(TopicCatalogue.LIVE.sensorReadings()).name()).isEqualTo("whatif-co-100.sensor-readings");
        assertThat(set.counterpart(TopicCatalogue.LIVE.equipmentState()).name()).isEqualTo("whatif-co-100.state.equipment");
        assertThat(set.owns("whatif-co-100.alerts.urgent")).isTrue();
        assertThat(set.owns("sitewire.alerts.urgent")).isFalse();
        assertThat(set.owns("whatif-co-100-x.alerts.urgent")).isFalse();
    }

    @Test
    void refusesAPrefixEqualToTheSourceOrLivePrefix() {
        // reprocessing a what-if set into itself
        assertThatThrownBy(() -> WhatIfSet.of("a", TopicCatalogue.withPrefix("whatif-a")))
                .hasMessage("--name a: the what-if prefix 'whatif-a' is the prefix of the source topics; a what-if run "
                        + "never writes where it reads. Choose another name.");
        // no name gives the live prefix, nor any topic of the live catalogue (seeded random names)
        final Random random = new Random(7);
        final String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        for (int i = 0; i < 2000; i++) {
            final StringBuilder name = new StringBuilder().append(alphabet.charAt(random.nextInt(36)));
            for (int k = 0; k < random.nextInt(20); k++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final WhatIfSet set = WhatIfSet.of(name.toString(), TopicCatalogue.LIVE);
            assertThat(set.catalogue().prefix()).isNotEqualTo(TopicCatalogue.LIVE_PREFIX);
            for (final TopicSpec<?> topic : set.catalogue().all()) {
                assertThat(TopicCatalogue.LIVE.byName(topic.name())).isEmpty();
            }
        }
    }

    @Test
    void rejectsNamesThatCannotNameTopics() {
        assertThatThrownBy(() -> WhatIfSet.of("CO 100", TopicCatalogue.LIVE)).hasMessageStartingWith("--name: 'CO 100' must be 1-34");
        assertThatThrownBy(() -> WhatIfSet.of("-x", TopicCatalogue.LIVE)).hasMessageStartingWith("--name: '-x'");
        assertThatThrownBy(() -> WhatIfSet.of("x".repeat(35), TopicCatalogue.LIVE)).hasMessageContaining("must be 1-34");
        assertThat(WhatIfSet.of("x".repeat(34), TopicCatalogue.LIVE).catalogue().prefix()).hasSize(41);
    }

    @Test
    void inputsAreWhatDevicesSendNotDerivedTopics() {
        assertThat(WhatIfSet.inputs(TopicCatalogue.LIVE)).extracting(TopicSpec::family).containsOnly(
                "wearable-alarms", "worker-presence", "worker-positions", "equipment-status", "sensor-readings", "broadcasts");
        assertThat(WhatIfSet.inputs(TopicCatalogue.LIVE)).hasSize(10);
    }
}
