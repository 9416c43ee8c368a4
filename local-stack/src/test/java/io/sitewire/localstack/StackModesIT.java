package io.sitewire.localstack;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * The non-default modes, each run in a separate JUnit engine (so with its own root store, hence its
 * own stack) with SITEWIRE_STACK given as a configuration parameter.
 */
class StackModesIT {

    @Test
    void testcontainersModeSkipsTheTestsWhenNoDockerEngineRuns() {
        // Given a machine without a Docker engine
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine runs here");

        // When a @SitewireStack class runs with SITEWIRE_STACK=testcontainers
        final EngineExecutionResults results = run("testcontainers");

        // Then the class is skipped (aborted) with a message naming the missing Docker engine, and nothing fails
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(StackModeProbe.class),
                abortedWithReason(message(text -> text.contains("no Docker engine")))));
        results.testEvents().assertStatistics(stats -> stats.started(0).failed(0));
    }

    @Test
    void externalModeHandsOverTheGivenAddresses() {
        // Given addresses of a stack started elsewhere
        // When a @SitewireStack class runs with SITEWIRE_STACK=external
        final EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(StackMode.SETTING, "external")
                .configurationParameter(StackStarter.BOOTSTRAP_SERVERS, "127.0.0.1:19092")
                .configurationParameter(StackStarter.REGISTRY_URL, "http://127.0.0.1:18080/apis/ccompat/v7")
                .selectors(selectClass(StackModeProbe.class))
                .execute();

        // Then its tests see them, and kafka()/registry() refuse with UnsupportedOperationException
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void externalModeWithoutAddressesFailsSayingWhatIsMissing() {
        // Given no addresses
        // When a @SitewireStack class runs with SITEWIRE_STACK=external
        final EngineExecutionResults results = run("external");

        // Then the class fails with a message naming the two settings
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(StackModeProbe.class),
                finishedWithFailure(message(text -> text.contains(StackStarter.BOOTSTRAP_SERVERS)
                        && text.contains(StackStarter.REGISTRY_URL)))));
        assertThat(results.testEvents().started().count()).isZero();
    }

    private static EngineExecutionResults run(final String mode) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(StackMode.SETTING, mode)
                .selectors(selectClass(StackModeProbe.class))
                .execute();
    }
}
