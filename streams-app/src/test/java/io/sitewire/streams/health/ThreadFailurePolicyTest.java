package io.sitewire.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ThreadFailurePolicy policy = new ThreadFailurePolicy(3, Duration.ofMinutes(10), now::get);

    /** How Kafka Streams reports a failed transaction commit: a StreamsException around the producer's error. */
    private static StreamsException commitFailed(final Throwable cause) {
        return new StreamsException("Error encountered trying to commit a transaction", new KafkaException(cause));
    }

    @Test
    void anOutOfOrderSequenceInsideAStreamsExceptionReplacesTheThread() {
        // Given the exception seen once under load, as the thread's uncaught exception
        final Throwable error = commitFailed(new OutOfOrderSequenceException("The broker received an out of order sequence"));
        // Then the thread is replaced
        assertThat(policy.decide(error)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.decide(commitFailed(new TimeoutException("expired"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void aDeterministicErrorShutsTheClientDown() {
        // Given a bug: the same record would kill every replacement
        assertThat(policy.decide(new StreamsException("processor failed", new NullPointerException())))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(policy.decide(new IllegalStateException("boom"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void theFourthTransientFailureWithinTheWindowShutsDownAndTheBudgetRefillsAfterIt() {
        final Throwable error = commitFailed(new OutOfOrderSequenceException("oos"));
        // Given three replacements a minute apart
        for (int i = 0; i < 3; i++) {
            assertThat(policy.decide(error)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(Duration.ofMinutes(1).toNanos());
        }
        // When a fourth comes within ten minutes of the first: a persistent fault, stop
        assertThat(policy.decide(error)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        // When the first has left the window, one more is allowed again
        now.addAndGet(Duration.ofMinutes(8).toNanos());
        assertThat(policy.decide(error)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void aSelfCausedExceptionDoesNotLoop() {
        final Throwable selfCaused = new Throwable() {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };
        assertThat(ThreadFailurePolicy.isTransient(selfCaused)).isFalse();
    }
}
