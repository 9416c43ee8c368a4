package io.sitewire.schemas.registry;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry client that waits out an outage instead of failing: a call that finds the registry unreachable (after the
 * wrapped client's own retries) is tried again with a growing pause, up to {@code maxWait}. For a stream processor
 * this is the safe choice: failing would either drop the record (skip) or stop the app, while waiting only delays
 * records whose schema is not cached yet; cached schemas never reach this class's retry path. Answers that are the
 * request's fault (unknown id, incompatible schema) are passed on at once.
 */
public final class OutageWaitingRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(OutageWaitingRegistryClient.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final SchemaRegistryClient delegate;
    private final Duration maxWait;

    public OutageWaitingRegistryClient(final SchemaRegistryClient delegate, final Duration maxWait) {
        this.delegate = delegate;
        this.maxWait = maxWait;
    }

    /** Wraps {@code client} unless it already waits. */
    public static SchemaRegistryClient wrap(final SchemaRegistryClient client, final Duration maxWait) {
        return client instanceof OutageWaitingRegistryClient ? client : new OutageWaitingRegistryClient(client, maxWait);
    }

    @Override
    public int register(final String subject, final Schema schema) {
        return waiting(() -> delegate.register(subject, schema));
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        return waiting(() -> delegate.idOf(subject, schema));
    }

    @Override
    public Schema byId(final int id) {
        return waiting(() -> delegate.byId(id));
    }

    @Override
    public List<Integer> versions(final String subject) {
        return waiting(() -> delegate.versions(subject));
    }

    @Override
    public boolean isCompatible(final String subject, final Schema schema) {
        return waiting(() -> delegate.isCompatible(subject, schema));
    }

    @Override
    public void setCompatibility(final String subject, final String level) {
        waiting(() -> {
            delegate.setCompatibility(subject, level);
            return null;
        });
    }

    @Override
    public String url() {
        return delegate.url();
    }

    private <T> T waiting(final Supplier<T> call) {
        final long deadline = System.nanoTime() + maxWait.toNanos();
        Duration pause = FIRST_PAUSE;
        boolean warned = false;
        while (true) {
            try {
                final T result = call.get();
                if (warned) {
                    LOG.info("schema registry at {} answers again", delegate.url());
                }
                return result;
            } catch (final SchemaRegistryException e) {
                if (!e.isUnreachable() || System.nanoTime() + pause.toNanos() - deadline > 0) {
                    throw e;
                }
                if (!warned) {
                    LOG.warn("schema registry at {} unreachable ({}): waiting up to {} for it", delegate.url(),
                            e.getMessage(), maxWait);
                    warned = true;
                }
                try {
                    Thread.sleep(pause.toMillis()); // a real back-off between calls to a remote service
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
