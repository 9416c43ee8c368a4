package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.provision.SchemaProvisioner;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Every input family through its catalogued topic: provisioned, produced, consumed on a real broker and registry. */
@SitewireStack
class CatalogueTopicsIT {

    @Test
    void eachEventReachesItsRoutedTopicUnderItsProjectKey(final LocalStack stack) throws Exception {
        // Given the catalogue provisioned on the broker and its schemas registered (producers may not register)
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("rt-" + UUID.randomUUID().toString().substring(0, 8));
        final SchemaRegistryClient registry = HttpSchemaRegistryClient.builder(stack.registryUrl()).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(catalogue.all());
        }
        assertThat(new SchemaProvisioner(registry).provision(catalogue.all())).hasSize(catalogue.all().size());
        final RecordRouting routing = new RecordRouting(catalogue);
        final List<SpecificRecord> events = List.of(SampleEvents.wearableAlarm(), SampleEvents.workerPosition(),
                SampleEvents.workerPresence(), SampleEvents.equipmentStatus(), SampleEvents.sensorReading(),
                SampleEvents.manualBroadcast(), SampleEvents.alert());

        // When each is produced (acks=all, no auto-registration) to the topic routing names
        final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, false, false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serializer)) {
            for (final SpecificRecord event : events) {
                producer.send(new ProducerRecord<>(routing.topicFor(event).name(), routing.keyFor(event), event)).get();
            }
        }

        // Then a consumer of those topics reads each back, equal, keyed by its project
        final Map<String, SpecificRecord> expected = new HashMap<>();
        events.forEach(e -> expected.put(routing.topicFor(e).name(), e));
        final List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "rt-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.forGeneratedClasses(registry, false).deserializer())) {
            consumer.subscribe(expected.keySet());
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < events.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(events.size());
        for (final ConsumerRecord<String, SpecificRecord> record : received) {
            assertThat(record.value()).isEqualTo(expected.get(record.topic()));
            assertThat(record.key()).isEqualTo(routing.keyFor(record.value()));
        }
        final TopicSpec<?> alarms = catalogue.wearableAlarms();
        assertThat(received).anySatisfy(r -> assertThat(r.topic()).isEqualTo(alarms.name()));
    }
}
