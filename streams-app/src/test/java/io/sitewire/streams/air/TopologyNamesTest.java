package io.sitewire.streams.air;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.streams.air.support.RuleHarness;
import io.sitewire.streams.noise.NoiseConfig;
import io.sitewire.streams.noise.NoiseRules;
import org.junit.jupiter.api.Test;

/** Every processor and store of the rules has a stable name (changelog topics and metrics depend on it). */
class TopologyNamesTest {

    @Test
    void bothRuleFamiliesUseOnlyNamedProcessorsAndStoresAndNoRepartition() {
        try (RuleHarness h = new RuleHarness("names", (readings, registry) -> AirQualityRules
                .build(readings, AirQualityConfig.defaults(), registry)
                .merge(NoiseRules.build(readings, NoiseConfig.defaults(), registry)))) {
            final String description = h.topology().describe().toString();

            assertThat(description).contains(AirQualityRules.CEILINGS, AirQualityRules.WINDOWS, AirQualityRules.MERGE,
                    NoiseRules.DOSE,
                    CeilingProcessor.SENSOR_STORE, CeilingProcessor.ZONE_STORE,
                    WindowProcessor.CLOCK_STORE, WindowProcessor.SERIES_STORE, WindowProcessor.SAMPLE_STORE,
                    WindowProcessor.CUMULATIVE_STORE, WindowProcessor.ZONE_STORE,
                    "noise-dose-clock", "noise-dose-series", "noise-dose-samples", "noise-dose-zones");
            // Only the test's own merge of the two families is left unnamed
            assertThat(description.replaceAll("KSTREAM-MERGE-\\d+", "")).doesNotContain("KSTREAM-", "KTABLE-");
            assertThat(description).doesNotContain("repartition");
        }
    }
}
