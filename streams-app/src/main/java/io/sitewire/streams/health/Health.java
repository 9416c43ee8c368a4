package io.sitewire.streams.health;

import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Liveness and readiness of the app from a snapshot of its KafkaStreams instances; pure, so the rules are tested
 * without a broker.
 *
 * <ul>
 *   <li>Live: the app has not failed, no instance is in ERROR or shutting down, and every started instance has all
 *       its stream threads (a thread that died and was not replaced counts as dead). A live app that is not ready is
 *       rebalancing or restoring: restarting it would only start that over.</li>
 *   <li>Ready: live and every instance RUNNING.</li>
 * </ul>
 */
public final class Health {

    private static final Set<State> ALIVE = Set.of(State.CREATED, State.REBALANCING, State.RUNNING);

    private Health() {
    }

    /** One KafkaStreams instance: its state, the stream threads it has that are not dead, and how many it should have. */
    public record Instance(String name, State state, int aliveThreads, int configuredThreads) {
    }

    /** A verdict and its reason, one line per instance, for the response body. */
    public record Verdict(boolean ok, String reason) {
    }

    public static Verdict live(final List<Instance> instances, final Throwable failure) {
        if (failure != null) {
            return new Verdict(false, "failed: " + failure);
        }
        final StringBuilder reason = new StringBuilder();
        boolean ok = true;
        for (final Instance i : instances) {
            final boolean threadsOk = i.state() == State.CREATED || i.aliveThreads() >= i.configuredThreads();
            final boolean instanceOk = ALIVE.contains(i.state()) && threadsOk;
            ok &= instanceOk;
            reason.append(i.name()).append(' ').append(i.state()).append(", threads ").append(i.aliveThreads())
                    .append('/').append(i.configuredThreads()).append(instanceOk ? "" : " (not live)").append('\n');
        }
        return new Verdict(ok && !instances.isEmpty(), reason.toString());
    }

    public static Verdict ready(final List<Instance> instances, final Throwable failure) {
        final Verdict live = live(instances, failure);
        final boolean running = instances.stream().allMatch(i -> i.state() == State.RUNNING);
        return new Verdict(live.ok() && running, live.reason());
    }
}
