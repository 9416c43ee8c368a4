package io.sitewire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bench's bounded waits: each ends by itself, and says whether what it waited for happened. */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a wait that ignored its bound would hang: that is the failure caught
class WaitsTest {

    @Test
    void untilReturnsTrueOnceTheConditionHolds() throws Exception {
        // Given a condition another thread makes true
        final AtomicBoolean ready = new AtomicBoolean();
        final Thread setter = new Thread(() -> ready.set(true));

        // When waiting for it with room to spare
        setter.start();
        final boolean held = Waits.until(ready::get, Duration.ofSeconds(20));

        // Then the wait saw it
        assertThat(held).isTrue();
    }

    @Test
    void untilGivesUpAtItsLimitWhenTheConditionNeverHolds() throws Exception {
        // Given a condition that never holds
        final long t0 = System.nanoTime();

        // When waiting 200 ms for it
        final boolean held = Waits.until(() -> false, Duration.ofMillis(200));

        // Then it reports false, and only once the limit has passed
        assertThat(held).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void joinInterruptsAThreadThatOutlivesItsLimit() throws Exception {
        // Given a thread blocked on a latch nobody counts down
        final CountDownLatch never = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final Thread blocked = new Thread(() -> {
            try {
                never.await();
            } catch (final InterruptedException e) {
                interrupted.set(true);
            }
        });
        blocked.start();

        // When joining it for 100 ms
        final boolean ended = Waits.join(blocked, Duration.ofMillis(100));

        // Then it was interrupted and ended
        assertThat(ended).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(blocked.isAlive()).isFalse();
    }

    @Test
    void joinReportsAThreadThatIgnoresInterrupts() throws Exception {
        // Given a thread that keeps running through interrupts until released
        final AtomicBoolean release = new AtomicBoolean();
        final Thread stubborn = new Thread(() -> {
            while (!release.get()) {
                LockSupport.parkNanos(1_000_000);
            }
        });
        stubborn.start();
        try {
            // When joining it for 100 ms
            final boolean ended = Waits.join(stubborn, Duration.ofMillis(100));

            // Then the join says it did not end, and returned anyway
            assertThat(ended).isFalse();
            assertThat(stubborn.isAlive()).isTrue();
        } finally {
            release.set(true);
            stubborn.join();
        }
    }

    @Test
    void closeWithinTellsClosedFailedAndTimedOutApart() {
        // Given a close that works, one that throws and one that blocks
        final CountDownLatch release = new CountDownLatch(1);
        try {
            // When each is closed within 200 ms
            final Waits.Closed ok = Waits.closeWithin("ok", () -> { }, Duration.ofSeconds(20));
            final Waits.Closed failed = Waits.closeWithin("failing", () -> {
                throw new IllegalStateException("boom");
            }, Duration.ofSeconds(20));
            final Waits.Closed stuck = Waits.closeWithin("stuck", release::await, Duration.ofMillis(200));

            // Then each outcome is told apart, and the blocked close is left on a daemon thread
            assertThat(ok).isEqualTo(Waits.Closed.CLOSED);
            assertThat(failed).isEqualTo(Waits.Closed.FAILED);
            assertThat(stuck).isEqualTo(Waits.Closed.TIMED_OUT);
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("bench-close-stuck"))
                    .isNotEmpty().allMatch(Thread::isDaemon);
        } finally {
            release.countDown();
        }
    }
}
