package io.sitewire.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKafkaSingleNodeIT {

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
    void producesAndConsumesOnATopicCreatedByTheAdminClient() throws Exception {
        // Given a topic created explicitly, as Sitewire provisions its topics
        try (Admin admin = TestClients.admin(kafka.bootstrapServers());
             KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of());
             KafkaConsumer<String, String> consumer = TestClients.consumer(kafka.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("worker-presence", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);

            // When a record is written with acks=all
            producer.send(new ProducerRecord<>("worker-presence", "worker-7", "entered zone B")).get(30, TimeUnit.SECONDS);

            // Then a consumer group reads it back
            consumer.subscribe(List.of("worker-presence"));
            final List<ConsumerRecord<String, String>> records = TestClients.readAtLeast(consumer, 1);
            assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("worker-7", "entered zone B"));
        }
    }

    @Test
    void listensOnLoopbackAndCreatesNoTopicOnItsOwn() {
        // Given the single node
        assertThat(kafka.brokerCount()).isEqualTo(1);
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");

        // When a producer writes to a topic nobody created
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(),
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000))) {
            // Then the write fails instead of creating the topic
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("typo-topic", "k", "v")).get())
                    .hasMessageContaining("not present in metadata");
        }
    }
}
