package io.sitewire.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/** Broker settings shared by the test cluster and the persistent local node. */
final class BrokerSettings {

    private BrokerSettings() {
    }

    /**
     * Internal topics get a replication factor the cluster can satisfy (else consumers hang on
     * INVALID_REPLICATION_FACTOR for __consumer_offsets); Sitewire creates its own topics
     * explicitly, so auto-creation is off to catch a missing topic in tests, not in production.
     */
    static Map<String, String> forBrokers(final int brokers) {
        final int replication = Math.min(3, brokers);
        final int minIsr = replication >= 3 ? 2 : 1;
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("offsets.topic.replication.factor", Integer.toString(replication));
        props.put("transaction.state.log.replication.factor", Integer.toString(replication));
        props.put("transaction.state.log.min.isr", Integer.toString(minIsr));
        props.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        props.put("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // 50 partitions (the default) make the first group join and the first transaction slow in
        // a fresh cluster; 5 is plenty for tests and a laptop.
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        // The log cleaner's default 128 MB dedupe buffer is most of a local broker's memory; 2 MB
        // (what Kafka's test kit uses) still compacts ~87k keys per pass.
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        if (brokers > 1) {
            props.put("min.insync.replicas", Integer.toString(minIsr));
        }
        return props;
    }

    /**
     * For the test cluster only. Controllers pick the replication factor of a topic created without
     * one (Kafka 4.3 warns when a broker carries it). A restarted broker is refused
     * (DUPLICATE_BROKER_REGISTRATION) until its old session expires: 9 s by default, 3 s here, with
     * heartbeats every 500 ms so that a 2.5 s pause on a busy CI machine still fences nobody.
     */
    static Map<String, String> forTestControllers(final int brokers) {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("broker.session.timeout.ms", "3000");
        if (brokers > 1) {
            props.put("default.replication.factor", Integer.toString(Math.min(3, brokers)));
        }
        return props;
    }

    /** For the test cluster only: see {@link #forTestControllers(int)}. */
    static Map<String, String> forTestBrokers() {
        return Map.of("broker.heartbeat.interval.ms", "500");
    }
}
