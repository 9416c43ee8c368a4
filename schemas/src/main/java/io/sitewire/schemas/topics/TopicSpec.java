package io.sitewire.schemas.topics;

import io.sitewire.events.Priority;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic of the catalogue: its name, what it holds, how it is keyed and the settings it is created with.
 *
 * @param name        the Kafka topic name
 * @param family      the family it belongs to (several topics for a priority-partitioned family)
 * @param priority    the priority of everything in it; empty for state and dead-letter topics
 * @param keyLayout   how its String keys are built
 * @param valueType   the Avro class of its values (Confluent-framed, subject {@code <name>-value})
 * @param partitions  partition count
 * @param minInsyncReplicas wanted min.insync.replicas; capped to the replication factor when provisioned
 * @param configs     topic configs besides min.insync.replicas (cleanup, retention, compression, ...)
 * @param description one line for the docs
 */
public record TopicSpec<V extends SpecificRecord>(
        String name,
        String family,
        Optional<Priority> priority,
        KeyLayout keyLayout,
        Class<V> valueType,
        int partitions,
        int minInsyncReplicas,
        Map<String, String> configs,
        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(keyLayout, "keyLayout");
        Objects.requireNonNull(valueType, "valueType");
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("not a legal Kafka topic name: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be >= 1");
        }
        configs = Map.copyOf(configs);
    }

    /** Keys are Strings everywhere (see {@link KeyLayout}). */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public boolean compacted() {
        return TopicConfig.CLEANUP_POLICY_COMPACT.equals(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    /** Registry subject of the values (TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /**
     * The configs this topic is created with on a cluster with the given replication factor.
     * min.insync.replicas never exceeds the replication factor, or acks=all producers could never write.
     */
    public Map<String, String> effectiveConfigs(final short replicationFactor) {
        final Map<String, String> all = new TreeMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(minInsyncReplicas, replicationFactor)));
        return all;
    }
}
