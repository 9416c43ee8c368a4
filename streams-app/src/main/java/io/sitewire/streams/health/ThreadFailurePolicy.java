package io.sitewire.streams.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;

/**
 * What to do when a stream thread dies. REPLACE_THREAD when the cause is a transient producer, transaction or broker
 * condition (an {@link OutOfOrderSequenceException} on a loaded broker, a fenced or timed-out transaction, a retriable
 * error that outlasted the retries), at most {@code maxReplacements} times per {@code window}; anything else, or too
 * many in a row, SHUTDOWN_CLIENT (the app then exits 1 and its supervisor restarts it).
 *
 * <p>Why replacing is safe under exactly_once_v2: the dead thread's open transaction is never committed; the
 * replacement thread takes the same transactional id, whose initialisation aborts it, and the tasks' dirty state is
 * wiped and restored from the changelogs, so processing resumes from the last commit with nothing half-done
 * visible. Why not for everything: a deterministic error (a bug on one record) would kill every replacement in turn.
 */
public final class ThreadFailurePolicy {

    private static final List<Class<? extends Throwable>> TRANSIENT = List.of(OutOfOrderSequenceException.class,
            ProducerFencedException.class, InvalidProducerEpochException.class, InvalidPidMappingException.class,
            TransactionAbortableException.class, CommitFailedException.class, TaskMigratedException.class,
            TaskCorruptedException.class, RetriableException.class);

    private final int maxReplacements;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    public ThreadFailurePolicy(final int maxReplacements, final Duration window, final LongSupplier nanoClock) {
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** 3 replacements per 10 minutes: a broker hiccup is survived, a persistent fault still stops the app. */
    public static ThreadFailurePolicy defaults() {
        return new ThreadFailurePolicy(3, Duration.ofMinutes(10), System::nanoTime);
    }

    /** Whether {@code error} or any of its causes is a transient condition. */
    public static boolean isTransient(final Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth++ < 32; t = t.getCause() == t ? null : t.getCause()) {
            final Throwable current = t;
            if (TRANSIENT.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
        }
        return false;
    }

    public synchronized StreamThreadExceptionResponse decide(final Throwable error) {
        if (!isTransient(error)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        final long now = nanoClock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > windowNanos) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
