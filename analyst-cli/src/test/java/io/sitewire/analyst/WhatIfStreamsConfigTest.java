package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.config.InvalidConfigException;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfStreamsConfigTest {

    @TempDir
    Path dir;

    private final ReplayConfig connection = new ReplayConfig("broker:9092", "http://registry:8081/apis/ccompat/v7",
            "sitewire", Map.of("security.protocol", "SSL"), Map.of());
    private final WhatIfSet set = WhatIfSet.of("co-100", TopicCatalogue.LIVE);

    @Test
    void theWhatIfLayerWinsOverAProductionFileAndSetsApplyLast() throws Exception {
        // Given production's streams config, with the live app id and prefix
        final Path production = dir.resolve("streams.properties");
        Files.writeString(production, "application.id=sitewire-streams\ntopic.prefix=sitewire\nbootstrap.servers=prod:9092\n"
                + "air.co.ceiling.limit=150\n");

        // When a what-if config is built from it with an override
        final StreamsAppConfig config = WhatIfStreamsConfig.build(connection, set, dir.resolve("state"), production,
                List.of("air.co.ceiling.limit=100"));

        // Then it runs as the what-if app on what-if topics, on this CLI's cluster, with the override
        assertThat(config.applicationId()).isEqualTo("whatif-co-100");
        assertThat(config.topicPrefix()).isEqualTo("whatif-co-100");
        assertThat(config.bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.separateEmergencyInstance()).isFalse();
        assertThat(config.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(config.streamsProperties(StreamsAppConfig.Instance.ALL).getProperty("application.id")).isEqualTo("whatif-co-100");
    }

    @Test
    void setCannotChangeWhatMakesItAWhatIfRun() {
        assertThatThrownBy(() -> WhatIfStreamsConfig.build(connection, set, dir, null, List.of("topic.prefix=sitewire",
                "application.id=sitewire-streams", "kafka.bootstrap.servers=prod:9092", "oops")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "--set topic.prefix: set by reprocess for the what-if run (whatif-co-100), not overridable",
                        "--set application.id: set by reprocess for the what-if run (whatif-co-100), not overridable",
                        "--set kafka.bootstrap.servers: set by reprocess for the what-if run (whatif-co-100), not overridable",
                        "--set oops: expected KEY=VALUE, e.g. --set air.co.ceiling.limit=100"));
    }

    @Test
    void badRuleSettingsAreTheStreamsAppsOwnErrors() {
        assertThatThrownBy(() -> WhatIfStreamsConfig.build(connection, set, dir, null, List.of("proximity.inner.fraction=2")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("proximity.inner.fraction = '2'").hasMessageContaining("(from --set)");
    }
}
