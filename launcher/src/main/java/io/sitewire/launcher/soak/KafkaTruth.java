package io.sitewire.launcher.soak;

import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.routing.StreamedTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * those records belongs to the project's management room.
 */
final class KafkaTruth implements Truth, AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, String> keys = new HashMap<>();
    private final Map<String, Offsets> offsets = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    KafkaTruth(final String bootstrapServers, final StreamedTopics topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sitewire-soak-truth"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (final StreamedTopic topic : topics.all()) {
            for (final PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
                final String key = topic.index() + "-" + info.partition();
                keys.put(new TopicPartition(topic.name(), info.partition()), key);
                offsets.put(key, new Offsets());
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

        synchronized int size() {
            return size;
        }
    }
}
