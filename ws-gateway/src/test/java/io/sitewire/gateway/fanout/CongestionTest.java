package io.sitewire.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CongestionTest {

    @Test
    void oneSlowClientAmongSeveralDoesNotHoldTheTailer() {
        // Given three open connections
        final Congestion c = new Congestion();
        c.opened();
        c.opened();
        c.opened();
        // When one of them falls behind
        c.enter();
        // Then the tailer goes on: that client is the slow one, its bounded queue deals with it
        assertThat(c.saturated()).isFalse();
        assertThat(c.congested()).isEqualTo(1);
    }

    @Test
    void mostClientsBehindHoldTheTailerUntilEnoughCatchUp() {
        // Given three open connections, two of them behind
        final Congestion c = new Congestion();
        c.opened();
        c.opened();
        c.opened();
        c.enter();
        c.enter();
        // Then the tailer waits for them
        assertThat(c.saturated()).isTrue();
        // When one catches up, it goes on
        c.leave();
        assertThat(c.saturated()).isFalse();
    }

    @Test
    void aCongestedConnectionThatClosesStopsCounting() {
        // Given a lone connection that is behind (the tailer waits for it: nobody else is held up)
        final Congestion c = new Congestion();
        c.opened();
        c.enter();
        assertThat(c.saturated()).isTrue();
        // When it closes while still counted as congested
        c.closed(true);
        // Then nothing is congested and nothing holds the tailer
        assertThat(c.congested()).isZero();
        assertThat(c.saturated()).isFalse();
    }

    @Test
    void noConnectionsNeverHold() {
        assertThat(new Congestion().saturated()).isFalse();
    }
}
