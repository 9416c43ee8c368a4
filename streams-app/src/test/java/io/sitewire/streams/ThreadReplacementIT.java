package io.sitewire.streams;

import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.machine;
import static io.sitewire.streams.Events.position;
import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Alert;
import io.sitewire.events.EquipmentState;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.streams.health.Health;
import io.sitewire.streams.health.ProcessMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread killed by an OutOfOrderSequenceException in its transaction commit is replaced, under exactly-once,
 * and the alerts still come out exactly once: the app neither stops nor loses or repeats anything.
 */
@SitewireStack
class ThreadReplacementIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;
    private String run;
    private StackClients clients;
    private StreamsApp app;
    private KafkaConsumer<String, SpecificRecord> reader;
    /** Commits of the site instance's producers still to fail; the test arms it. */
    private final AtomicInteger commitsToFail = new AtomicInteger();

    /** Kafka Streams' own clients, but the site instance's producers throw on commit while armed. */
    private final class FailingCommits implements KafkaClientSupplier {
        private final DefaultKafkaClientSupplier real = new DefaultKafkaClientSupplier();

        @Override
        public Producer<byte[], byte[]> getProducer(final Map<String, Object> config) {
            final boolean site = !String.valueOf(config.get(ProducerConfig.CLIENT_ID_CONFIG)).contains("-emergency-");
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
                @Override
                public void commitTransaction() {
                    if (site && commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new OutOfOrderSequenceException("injected: the broker received an out of order sequence");
                    }
                    super.commitTransaction();
                }
            };
        }

        @Override
        public Admin getAdmin(final Map<String, Object> config) {
            return real.getAdmin(config);
        }

        @Override
        public Consumer<byte[], byte[]> getConsumer(final Map<String, Object> config) {
            return real.getConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getRestoreConsumer(final Map<String, Object> config) {
            return real.getRestoreConsumer(config);
        }

        @Override
        public Consumer<byte[], byte[]> getGlobalConsumer(final Map<String, Object> config) {
            return real.getGlobalConsumer(config);
        }
    }

    @BeforeEach
    void provision(final LocalStack stack) {
        AvroTrust.install();
        run = "tr" + UUID.randomUUID().toString().substring(0, 8);
        clients = new StackClients(stack.bootstrapServers(), stack.registryUrl(), TopicCatalogue.withPrefix(run));
        clients.provision();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        if (app != null) {
            app.close();
        }
        clients.close();
    }

    private List<String> readAlerts(final List<String> sink, final int atLeast, final Duration quiet) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (sink.size() < atLeast && System.nanoTime() < deadline) {
            for (final ConsumerRecord<String, SpecificRecord> r : reader.poll(Duration.ofMillis(200))) {
                final Alert a = (Alert) r.value();
                sink.add(a.getAlertId() + "/" + a.getState());
            }
        }
        final long quietUntil = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietUntil) {
            for (final ConsumerRecord<String, SpecificRecord> r : reader.poll(Duration.ofMillis(100))) {
                final Alert a = (Alert) r.value();
                sink.add(a.getAlertId() + "/" + a.getState());
            }
        }
        return sink;
    }

    @Test
    void aThreadKilledByAnOutOfOrderSequenceIsReplacedAndNoAlertIsLostOrRepeated() {
        // Given the app with a crane known to the site instance
        app = new StreamsApp(clients.appConfig(stateDir, Map.of()), clients.registry, new FailingCommits());
        app.start();
        Awaitility.await().atMost(WAIT).until(app::running);
        reader = clients.committedReader(run + "-alerts", clients.alertTopics());
        final String p = "site-" + run;
        final long t0 = System.currentTimeMillis();
        clients.send(machine(p, "crane-1", at(0, 0), 30, EquipmentState.OPERATIONAL, false, t0));
        // (the crane reaches the site processor through a repartition: wait for its state, so that w0's step raises)
        try (KafkaConsumer<String, SpecificRecord> states = clients.committedReader(run + "-states",
                List.of(clients.catalogue.equipmentState()))) {
            Awaitility.await().atMost(WAIT).until(() -> !states.poll(Duration.ofMillis(200)).isEmpty());
        }
        final List<String> alerts = new ArrayList<>();
        clients.send(position(p, "w0", at(0, 10), t0 + 100));
        readAlerts(alerts, 1, Duration.ZERO);
        final long replacedBefore = replacedThreads();

        // When the next commit of the site instance fails with an OutOfOrderSequenceException, with w1 entering the
        // radius in that transaction
        commitsToFail.set(1);
        clients.send(position(p, "w1", at(0, 12), t0 + 1_000));

        // Then the thread is replaced, the app does not fail, and the alert comes out (from the replacement)
        Awaitility.await().atMost(WAIT).until(() -> replacedThreads() > replacedBefore);
        Awaitility.await().atMost(WAIT).until(app::running);
        assertThat(app.failure()).isNull();
        assertThat(Health.live(app.health(), app.failure()).ok()).isTrue();
        // And after it, w0 and w1 leave: every alert exactly once
        clients.send(position(p, "w0", at(0, 100), t0 + 2_000));
        clients.send(position(p, "w1", at(0, 100), t0 + 2_000));
        readAlerts(alerts, 4, Duration.ofSeconds(3));
        final String prox = "PROXIMITY:" + p + ":";
        assertThat(alerts).containsExactlyInAnyOrder(
                prox + "w0:crane-1:" + (t0 + 100) + "/RAISED",
                prox + "w1:crane-1:" + (t0 + 1_000) + "/RAISED",
                prox + "w0:crane-1:" + (t0 + 100) + "/CLEARED",
                prox + "w1:crane-1:" + (t0 + 1_000) + "/CLEARED");
        assertThat(commitsToFail.get()).as("the injected failure happened").isZero();
    }

    /** Replacements counted by the app (process-wide: other tests in this JVM never replace threads). */
    private static long replacedThreads() {
        return ProcessMetrics.threadsReplaced();
    }
}
