package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.BroadcastKind;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.Priority;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WearableAlarm;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.EventType;
import io.sitewire.schemas.EventValidation;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A short scenario through a real broker and a real registry, read back from the catalogue's topics. */
@SitewireStack
class SiteSimulatorIT {

    @Test
    void aScenarioProducedThroughKafkaReadsBackFromTheCatalogueTopicsAsCounted(final LocalStack stack) throws Exception {
        // Given the catalogue under a unique prefix, provisioned on the broker
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("sim-" + id);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(catalogue.all());
        }

        // When a 4-second run at 60x (4 sim minutes) with a fall and an evacuation goes through a KafkaEventSink
        final String project = "it-" + id;
        final SimulatorConfig config = SimulatorConfig.builder().projectIds(List.of(project)).workers(30).machines(8)
                .sensors(10).speed(60).duration(Duration.ofSeconds(4)).progressInterval(Duration.ofSeconds(1))
                .incidents(List.of(IncidentSpec.parse("fall@60s"), IncidentSpec.parse("evacuation@90s"))).build();
        final SimulatorStats stats;
        try (SiteSimulator simulator = SiteSimulator.start(config,
                new KafkaEventSink(stack.bootstrapServers(), stack.registryUrl(), catalogue, Map.of()))) {
            stats = simulator.completion().get();
        }
        assertThat(stats.finished()).isTrue();
        assertThat(stats.failed()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.deliveredTotal()).isEqualTo(stats.generatedTotal()).isGreaterThan(5_000);

        // Then a consumer of every topic the routing can pick, decoding with the registry, reads exactly the counts
        final RecordRouting routing = new RecordRouting(catalogue);
        final Set<String> topics = inputTopics(catalogue);
        final List<ConsumerRecord<String, SpecificRecord>> records = consume(stack, topics, stats.deliveredTotal());
        final Map<EventType, Long> counted = new EnumMap<>(EventType.class);
        for (final ConsumerRecord<String, SpecificRecord> r : records) {
            counted.merge(EventType.of(r.value()), 1L, Long::sum);
            assertThat(r.topic()).isEqualTo(routing.topicFor(r.value()).name());
            assertThat(r.key()).isEqualTo(project);
            assertThat(EventValidation.problems(r.value())).isEmpty();
        }
        assertThat(counted).isEqualTo(stats.delivered());

        // And the incidents are there: one FALL alarm on the wearable topic, the EVACUATION on the emergency broadcasts
        assertThat(records).filteredOn(r -> r.value() instanceof WearableAlarm).hasSize(1)
                .allSatisfy(r -> assertThat(r.topic()).isEqualTo(catalogue.wearableAlarms().name()));
        assertThat(records).filteredOn(r -> r.value() instanceof ManualBroadcast b && b.getKind() == BroadcastKind.EVACUATION)
                .hasSize(1)
                .allSatisfy(r -> assertThat(r.topic()).isEqualTo(catalogue.broadcasts().topic(Priority.EMERGENCY).name()));

        // And the run's end checked out every worker it had checked in (the fallen one was carried out before): in
        // the presence topic's order, nobody is left on site, so no missing-worker alert follows the end of the run
        final Set<String> onSite = new java.util.LinkedHashSet<>();
        int checkIns = 0;
        for (final ConsumerRecord<String, SpecificRecord> r : records) {
            if (r.value() instanceof WorkerPresence p && p.getAction() != PresenceAction.STATUS) {
                if (p.getAction() == PresenceAction.CHECK_IN) {
                    checkIns++;
                    onSite.add(p.getWorkerId());
                } else {
                    onSite.remove(p.getWorkerId());
                }
            }
        }
        assertThat(checkIns).isGreaterThan(0);
        assertThat(onSite).isEmpty();
    }

    private static Set<String> inputTopics(final TopicCatalogue catalogue) {
        final List<TopicSpec<?>> inputs = new ArrayList<>(List.of(catalogue.workerPositions(), catalogue.workerPresence(),
                catalogue.equipmentStatus(), catalogue.sensorReadings(), catalogue.wearableAlarms()));
        inputs.addAll(catalogue.broadcasts().topicsByUrgency());
        return inputs.stream().map(TopicSpec::name).collect(Collectors.toSet());
    }

    private static List<ConsumerRecord<String, SpecificRecord>> consume(final LocalStack stack, final Set<String> topics,
            final long expected) {
        final List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "sim-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(),
                AvroSerdes.forGeneratedClasses(HttpSchemaRegistryClient.builder(stack.registryUrl()).build(), false)
                        .deserializer())) {
            consumer.subscribe(topics);
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything beyond the expected count would be a duplicate: give it a moment to show up.
            final long grace = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < grace) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
