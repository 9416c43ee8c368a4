package io.sitewire.schemas.provision;

import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a cluster hold the catalogue's topics: creates what is missing with its settings and reports
 * how existing topics differ. It never deletes a topic and never changes an existing one, because
 * either could lose data that a site may need for an investigation.
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    public TopicProvisioner(final Admin admin, final short replicationFactor, final Duration timeout) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1");
        }
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** Replication factor 3 where the cluster has 3 brokers or more, else one per broker. */
    public static short defaultReplicationFactor(final Admin admin, final Duration timeout) {
        final int brokers = await(admin.describeCluster().nodes(), timeout, "describe the cluster").size();
        return (short) Math.max(1, Math.min(3, brokers));
    }

    public ProvisionReport provision(final Collection<? extends TopicSpec<?>> topics) {
        final Map<String, TopicSpec<?>> wanted = new LinkedHashMap<>();
        topics.forEach(t -> wanted.put(t.name(), t));

        final Set<String> existing = await(admin.listTopics().names(), timeout, "list topics");
        final List<String> created = new ArrayList<>();
        final List<NewTopic> toCreate = wanted.values().stream()
                .filter(t -> !existing.contains(t.name()))
                .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.effectiveConfigs(replicationFactor)))
                .toList();
        if (!toCreate.isEmpty()) {
            admin.createTopics(toCreate).values().forEach((name, future) -> {
                try {
                    future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(name);
                } catch (final ExecutionException e) {
                    // Another provisioner may have created it between list and create: then it is checked below.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new ProvisioningException("could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (final TimeoutException e) {
                    throw new ProvisioningException("creating topic " + name + " did not finish within " + timeout, e);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProvisioningException("interrupted while creating " + name, e);
                }
            });
        }

        final List<String> toCheck = wanted.keySet().stream().filter(n -> !created.contains(n)).toList();
        final List<Drift> drifts = toCheck.isEmpty() ? List.of() : drifts(wanted, toCheck);
        final Set<String> drifted = new java.util.HashSet<>();
        drifts.forEach(d -> drifted.add(d.topic()));
        final List<String> unchanged = toCheck.stream().filter(n -> !drifted.contains(n)).toList();
        return new ProvisionReport(created, unchanged, drifts);
    }

    private List<Drift> drifts(final Map<String, TopicSpec<?>> wanted, final List<String> names) {
        // Topics created a moment ago (by us or another provisioner) may not have reached the broker's
        // metadata yet: such errors are retriable, so ask again until the timeout.
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Map<String, TopicDescription> descriptions = retrying(deadline,
                () -> admin.describeTopics(names).allTopicNames(), "describe topics");
        final Map<ConfigResource, String> resources = new HashMap<>();
        names.forEach(n -> resources.put(new ConfigResource(ConfigResource.Type.TOPIC, n), n));
        final Map<ConfigResource, Config> configs = retrying(deadline,
                () -> admin.describeConfigs(resources.keySet()).all(), "describe topic configs");

        final List<Drift> drifts = new ArrayList<>();
        for (final String name : names) {
            final TopicSpec<?> spec = wanted.get(name);
            final TopicDescription description = descriptions.get(name);
            final int partitions = description.partitions().size();
            if (partitions != spec.partitions()) {
                drifts.add(new Drift(name, "partitions", Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            final int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
            if (replicas < replicationFactor) {
                drifts.add(new Drift(name, "replication factor", Short.toString(replicationFactor), Integer.toString(replicas)));
            }
            final Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            spec.effectiveConfigs(replicationFactor).forEach((key, expected) -> {
                final ConfigEntry entry = actual.get(key);
                final String value = entry == null ? "(unset)" : entry.value();
                if (!expected.equals(value)) {
                    drifts.add(new Drift(name, key, expected, value));
                }
            });
        }
        return drifts;
    }

    private <T> T retrying(final long deadline, final java.util.function.Supplier<org.apache.kafka.common.KafkaFuture<T>> call,
                           final String what) {
        while (true) {
            try {
                return await(call.get(), timeout, what);
            } catch (final ProvisioningException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100); // back off briefly before asking the broker again
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static <T> T await(final org.apache.kafka.common.KafkaFuture<T> future, final Duration timeout, final String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new ProvisioningException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new ProvisioningException("could not " + what + " within " + timeout + ": is the cluster reachable?", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while trying to " + what, e);
        }
    }

    /** Provisioning could not complete; the message says which step and why. */
    public static final class ProvisioningException extends KafkaException {
        private static final long serialVersionUID = 1L;

        public ProvisioningException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
