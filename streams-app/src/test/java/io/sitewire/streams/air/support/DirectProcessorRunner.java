package io.sitewire.streams.air.support;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Runs one rule processor directly on its stores (built from its supplier, changelog disabled), without a
 * TopologyTestDriver, Avro or a broker: what the rule itself costs per reading. For benchmarks only.
 */
public final class DirectProcessorRunner implements AutoCloseable {

    private final MockProcessorContext<String, Alert> mock;
    private final FixedKeyProcessor<String, SensorReading, Alert> processor;
    private final List<StateStore> stores = new ArrayList<>();
    private final Path stateDir;
    private long forwarded;
    private long wallClock;

    public DirectProcessorRunner(final FixedKeyProcessorSupplier<String, SensorReading, Alert> supplier, final long wallClock)
            throws Exception {
        this.stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "state")), "direct");
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "direct-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        this.mock = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        this.wallClock = wallClock;
        for (final StoreBuilder<?> b : supplier.stores()) {
            final StateStore store = b.withLoggingDisabled().build();
            store.init(mock.getStateStoreContext(), store);
            mock.addStateStore(store);
            stores.add(store);
        }
        this.processor = supplier.get();
        processor.init(new Context());
    }

    public void process(final SensorReading r) {
        final FixedKeyRecord<String, SensorReading> rec =
                InternalFixedKeyRecordFactory.create(new Record<>(r.getProjectId(), r, r.getEventTime()));
        processor.process(rec);
    }

    public long forwarded() {
        return forwarded;
    }

    @Override
    public void close() throws java.io.IOException {
        processor.close();
        for (final StateStore s : stores) {
            s.close();
        }
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Counts forwards; everything else is the mock's. */
    private final class Context implements FixedKeyProcessorContext<String, Alert> {
        @Override
        public <K extends String, V extends Alert> void forward(final FixedKeyRecord<K, V> record) {
            forwarded++;
        }

        @Override
        public <K extends String, V extends Alert> void forward(final FixedKeyRecord<K, V> record, final String childName) {
            forwarded++;
        }

        @Override
        public String applicationId() {
            return mock.applicationId();
        }

        @Override
        public TaskId taskId() {
            return mock.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return mock.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return mock.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return mock.valueSerde();
        }

        @Override
        public File stateDir() {
            return mock.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return mock.metrics();
        }

        @Override
        public <S extends StateStore> S getStateStore(final String name) {
            return mock.getStateStore(name);
        }

        @Override
        public Cancellable schedule(final Duration interval, final PunctuationType type, final Punctuator callback) {
            return mock.schedule(interval, type, callback);
        }

        @Override
        public Cancellable schedule(final Instant startTime, final Duration interval, final PunctuationType type,
                final Punctuator callback) {
            return mock.schedule(startTime, interval, type, callback);
        }

        @Override
        public void commit() {
            mock.commit();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return mock.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(final String prefix) {
            return mock.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return wallClock;
        }

        @Override
        public long currentStreamTimeMs() {
            return mock.currentStreamTimeMs();
        }
    }
}
