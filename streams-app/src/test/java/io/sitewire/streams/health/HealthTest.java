package io.sitewire.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.streams.health.Health.Instance;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthTest {

    private static Instance site(final State state, final int alive) {
        return new Instance("site", state, alive, 2);
    }

    private static Instance emergency(final State state) {
        return new Instance("emergency", state, state == State.CREATED ? 0 : 1, 1);
    }

    @Test
    void readyOnlyWhenBothInstancesRunWithAllTheirThreads() {
        // Given both instances RUNNING with every thread
        final List<Instance> running = List.of(site(State.RUNNING, 2), emergency(State.RUNNING));
        // Then live and ready
        assertThat(Health.live(running, null).ok()).isTrue();
        assertThat(Health.ready(running, null).ok()).isTrue();
    }

    @Test
    void rebalancingIsLiveButNotReady() {
        // Given the site instance rebalancing (restoring its stores after a restart)
        final List<Instance> rebalancing = List.of(site(State.REBALANCING, 2), emergency(State.RUNNING));
        // Then live (restarting would only start the restore over) but not ready
        assertThat(Health.live(rebalancing, null).ok()).isTrue();
        assertThat(Health.ready(rebalancing, null).ok()).isFalse();
        // And not yet started counts as live, not ready
        final List<Instance> created = List.of(site(State.CREATED, 0), emergency(State.CREATED));
        assertThat(Health.live(created, null).ok()).isTrue();
        assertThat(Health.ready(created, null).ok()).isFalse();
    }

    @Test
    void aDeadStreamThreadIsNotLive() {
        // Given a site instance that lost one of its two threads (died, not replaced)
        final List<Instance> shrunk = List.of(site(State.RUNNING, 1), emergency(State.RUNNING));
        // Then neither live nor ready, and the reason says which instance
        final Health.Verdict live = Health.live(shrunk, null);
        assertThat(live.ok()).isFalse();
        assertThat(live.reason()).contains("site RUNNING, threads 1/2 (not live)");
        assertThat(Health.ready(shrunk, null).ok()).isFalse();
    }

    @Test
    void errorShutdownOrAFailureIsNotLive() {
        for (final State bad : List.of(State.ERROR, State.PENDING_ERROR, State.PENDING_SHUTDOWN, State.NOT_RUNNING)) {
            assertThat(Health.live(List.of(site(bad, 2), emergency(State.RUNNING)), null).ok()).as(bad.name()).isFalse();
        }
        final List<Instance> running = List.of(site(State.RUNNING, 2), emergency(State.RUNNING));
        final Health.Verdict failed = Health.live(running, new IllegalStateException("site instance entered ERROR"));
        assertThat(failed.ok()).isFalse();
        assertThat(failed.reason()).contains("site instance entered ERROR");
        assertThat(Health.live(List.of(), null).ok()).as("no instance at all").isFalse();
    }
}
