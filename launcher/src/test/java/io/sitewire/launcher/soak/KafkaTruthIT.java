package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The soak's truth on a real broker: what it says a compacted topic's log still holds, before and after the log cleaner ran. */
class KafkaTruthIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.startSingleNode();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void recordsTheLogCleanerRemovedAreNoLongerInTheLog() throws Exception {
        // Given the streamed topics under a prefix of this test, and the truth reading them from their end
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("truth-it-" + UUID.randomUUID().toString().substring(0, 8));
        final StreamedTopics topics = new StreamedTopics(catalogue);
        final StreamedTopic state = topics.all().stream().filter(t -> t.spec().compacted()).findFirst().orElseThrow();
        final StreamedTopic alerts = topics.all().stream().filter(t -> !t.spec().compacted()).findFirst().orElseThrow();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer())) {
            new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60)).provision(catalogue.all());
            try (KafkaTruth truth = new KafkaTruth(kafka.bootstrapServers(), topics)) {
                final String partition = state.index() + "-0";

                // When one worker's state is written ten times (offsets 0-9)
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(state.name(), 0, "demo/w0001", new byte[] {(byte) i})).get();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> truth.knownUpTo(partition) >= 10);

                // Then the truth knows the topic is compacted, and the log still holds all ten
                assertThat(truth.compacted(partition)).isTrue();
                assertThat(truth.compacted(alerts.index() + "-0")).isFalse();
                assertThat(truth.stillInLog(partition, 0, 10)).containsExactlyInAnyOrder(LongStream.range(0, 10).boxed().toArray(Long[]::new));

                // When segments roll at once and the cleaner may compact at once (as it does an hour after a state was written),
                // and other workers' states keep coming so that the segment holding the ten rolls
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, state.name()), List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, "100"), AlterConfigOp.OpType.SET),
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"), AlterConfigOp.OpType.SET),
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01"),
                                AlterConfigOp.OpType.SET)))).all().get();

                // Then only the worker's latest state (offset 9) is left of the ten: the others are gone from the log
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    producer.send(new ProducerRecord<>(state.name(), 0, "demo/w0002", new byte[] {0})).get();
                    final Set<Long> left = truth.stillInLog(partition, 0, 10);
                    return left != null && left.size() == 1;
                });
                assertThat(truth.stillInLog(partition, 0, 10)).containsExactly(9L);
            }
        }
    }
}
