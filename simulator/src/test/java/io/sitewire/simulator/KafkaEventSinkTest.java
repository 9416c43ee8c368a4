package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.InMemorySchemaRegistry;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's own logic over Kafka's MockProducer: the in-flight window, routing and outcome reporting. Production
 * through a real broker and registry is SiteSimulatorIT.
 */
class KafkaEventSinkTest {

    private static List<SpecificRecord> events(final int n) {
        final SiteModel model = new SiteModel(ModelRun.small().build(), ModelRun.START);
        final List<SpecificRecord> events = new ArrayList<>();
        for (long t = ModelRun.START; events.size() < n; t += 1000) {
            events.addAll(model.step(t));
        }
        return List.copyOf(events.subList(0, n));
    }

    @Test
    void sendBlocksWhileTheWindowIsFullAndGoesOnAsAcknowledgementsArrive() throws Exception {
        // Given a producer that acknowledges only when told, and a window of 10
        final MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(),
                new AvroSerializer<>(new InMemorySchemaRegistry(), false));
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("sink-test");
        final Outcomes outcomes = new Outcomes();
        final List<SpecificRecord> events = events(15);
        final AtomicBoolean sent = new AtomicBoolean();
        try (KafkaEventSink sink = new KafkaEventSink(producer, catalogue, 10)) {
            // When 15 events are sent from another thread
            final Thread sender = new Thread(() -> {
                try {
                    sink.send(events, outcomes);
                    sent.set(true);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sender.start();

            // Then 10 reach the producer and the sender waits
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 10);
            assertThat(sink.inFlight()).isEqualTo(10);
            assertThat(sent).isFalse();

            // When 5 are acknowledged, the other 5 go out
            for (int i = 0; i < 5; i++) {
                assertThat(producer.completeNext()).isTrue();
            }
            sender.join(10_000);
            assertThat(sent).isTrue();
            assertThat(producer.history()).hasSize(15);
            assertThat(outcomes.delivered).hasSize(5);

            // And a flush acknowledges the rest, emptying the window
            assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sink.inFlight()).isZero();
        }
        assertThat(outcomes.delivered).containsExactlyInAnyOrderElementsOf(events);
        assertThat(outcomes.failed).isEmpty();

        // And each went to its catalogue topic under its project key
        final RecordRouting routing = new RecordRouting(catalogue);
        for (final ProducerRecord<String, SpecificRecord> r : producer.history()) {
            assertThat(r.topic()).isEqualTo(routing.topicFor(r.value()).name());
            assertThat(r.key()).isEqualTo("demo");
        }
    }

    @Test
    void aFailedSendIsReportedAndFreesItsPlaceInTheWindow() throws Exception {
        final MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(),
                new AvroSerializer<>(new InMemorySchemaRegistry(), false));
        final Outcomes outcomes = new Outcomes();
        try (KafkaEventSink sink = new KafkaEventSink(producer, TopicCatalogue.LIVE, 5)) {
            sink.send(events(2), outcomes);
            assertThat(producer.errorNext(new NotEnoughReplicasException("one broker left"))).isTrue();
            assertThat(producer.completeNext()).isTrue();
            assertThat(outcomes.failed).hasSize(1);
            assertThat(outcomes.errors).singleElement().satisfies(e -> assertThat(e).contains("one broker left"));
            assertThat(outcomes.delivered).hasSize(1);
            assertThat(sink.inFlight()).isZero();
        }
    }

    @Test
    void registryKeysAreSplitFromProducerKeys() {
        assertThat(KafkaEventSink.registryKey("schema.registry.basic.auth.user.info")).isTrue();
        assertThat(KafkaEventSink.registryKey("basic.auth.credentials.source")).isTrue();
        assertThat(KafkaEventSink.registryKey("auto.register.schemas")).isTrue();
        assertThat(KafkaEventSink.registryKey("security.protocol")).isFalse();
        assertThat(KafkaEventSink.registryKey("linger.ms")).isFalse();
    }

    private static final class Outcomes implements EventSink.Delivery {
        final List<SpecificRecord> delivered = new CopyOnWriteArrayList<>();
        final List<SpecificRecord> failed = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void delivered(final SpecificRecord event) {
            delivered.add(event);
        }

        @Override
        public void failed(final SpecificRecord event, final Exception error) {
            failed.add(event);
            errors.add(error.getMessage());
        }
    }
}
