package io.sitewire.launcher.soak;

import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.routing.StreamedTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The truth the clients are checked against: a read_committed consumer (as the gateway's tailer) of every streamed
 * topic, from the log end at the soak's start, keeping each record's offset. On a single-project site every one of
 * those records belongs to the project's management room. A second consumer of its own looks up, on request, which
 * records of a compacted topic the log still holds (the log cleaner removes superseded ones once their segment rolls).
 */
final class KafkaTruth implements Truth, AutoCloseable {

    /** How long a look-up of the log may take before the records are taken as still there (so counted as missed). */
    private static final Duration LOOK_UP_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> probe;
    private final Map<TopicPartition, String> keys = new HashMap<>();
    private final Map<String, TopicPartition> partitionsByKey = new HashMap<>();
    private final Set<String> compacted = new HashSet<>();
    private final Map<String, Offsets> offsets = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    KafkaTruth(final String bootstrapServers, final StreamedTopics topics) {
        consumer = consumer(bootstrapServers, "sitewire-soak-truth", "latest");
        // A look-up below the log start (records deleted) reads from the log start, not from the end.
        probe = consumer(bootstrapServers, "sitewire-soak-truth-probe", "earliest");
        for (final StreamedTopic topic : topics.all()) {
            for (final PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
                final String key = topic.index() + "-" + info.partition();
                final TopicPartition tp = new TopicPartition(topic.name(), info.partition());
                keys.put(tp, key);
                partitionsByKey.put(key, tp);
                offsets.put(key, new Offsets());
                if (topic.spec().compacted()) {
                    compacted.add(key);
                }
            }
        }
        consumer.assign(keys.keySet());
        consumer.seekToEnd(keys.keySet());
        for (final TopicPartition tp : keys.keySet()) {
            offsets.get(keys.get(tp)).known = consumer.position(tp, Duration.ofSeconds(30));
        }
        thread = new Thread(this::run, "sitewire-soak-truth");
        thread.setDaemon(true);
        thread.start();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String bootstrapServers, final String clientId, final String reset) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        try {
            while (running) {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    offsets.get(keys.get(new TopicPartition(r.topic(), r.partition()))).add(r.offset());
                }
                for (final Map.Entry<TopicPartition, String> e : keys.entrySet()) {
                    // The position passes transaction markers too: everything below it is known.
                    offsets.get(e.getValue()).known = consumer.position(e.getKey());
                }
            }
        } catch (final WakeupException stopping) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public int indexOf(final String partition, final long offset) {
        final Offsets o = offsets.get(partition);
        return o == null ? -1 : o.indexOf(offset);
    }

    @Override
    public long offsetAt(final String partition, final int index) {
        return offsets.get(partition).at(index);
    }

    @Override
    public boolean compacted(final String partition) {
        return compacted.contains(partition);
    }

    /** Reads [from, to) of the partition as it is now; clients call this one at a time (the probe is not thread-safe). */
    @Override
    public synchronized Set<Long> stillInLog(final String partition, final long from, final long to) {
        final TopicPartition tp = partitionsByKey.get(partition);
        if (tp == null) {
            return null;
        }
        final Set<Long> found = new HashSet<>();
        try {
            probe.assign(List.of(tp));
            probe.seek(tp, from);
            final long deadline = System.nanoTime() + LOOK_UP_TIMEOUT.toNanos();
            while (probe.position(tp) < to) {
                if (System.nanoTime() - deadline > 0) {
                    return null;
                }
                for (final ConsumerRecord<byte[], byte[]> r : probe.poll(Duration.ofMillis(200))) {
                    if (r.offset() < to) {
                        found.add(r.offset());
                    }
                }
            }
        } catch (final RuntimeException e) {
            return null; // unreadable now: the skipped records count as missed
        }
        return found;
    }

    @Override
    public long knownUpTo(final String partition) {
        final Offsets o = offsets.get(partition);
        return o == null ? Long.MAX_VALUE : o.known;
    }

    /** Records seen, all partitions. */
    long records() {
        return offsets.values().stream().mapToLong(Offsets::size).sum();
    }

    List<String> partitions() {
        return new ArrayList<>(offsets.keySet());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            probe.close(Duration.ofSeconds(5));
        }
    }

    /** A growing sorted array of offsets; readers may search it while the consumer thread appends. */
    private static final class Offsets {
        private long[] values = new long[1024];
        private int size;
        private volatile long known;

        synchronized void add(final long offset) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = offset;
        }

        synchronized int indexOf(final long offset) {
            final int i = Arrays.binarySearch(values, 0, size, offset);
            return i < 0 ? -1 : i;
        }

        synchronized long at(final int index) {
            return values[index];
        }

        synchronized int size() {
            return size;
        }
    }
}
