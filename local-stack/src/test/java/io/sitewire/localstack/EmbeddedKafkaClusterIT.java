package io.sitewire.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaClusterIT {

    private static final String TOPIC = "alerts";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.startCluster(3, 3);
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @Test
    void acksAllSurvivesOneLostBrokerAndIsRefusedAfterASecond() throws Exception {
        try (Admin admin = TestClients.admin(kafka.bootstrapServers());
             KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of());
             KafkaProducer<String, String> noRetries = TestClients.producer(kafka.bootstrapServers(), Map.of(
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                     ProducerConfig.RETRIES_CONFIG, 0))) {
            // Given 3 brokers, 3 controllers and a topic with replication factor 3 and min.insync.replicas 2
            assertThat(kafka.brokerCount()).isEqualTo(3);
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> partition(admin).isr().size() == 3);
            producer.send(record("before")).get(30, TimeUnit.SECONDS);

            // When the partition leader is stopped
            final int leader = partition(admin).leader().id();
            kafka.stopBroker(leader);

            // Then acks=all writes are still accepted, by a new leader
            producer.send(record("one broker down")).get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(partition(admin).leader().id()).isNotEqualTo(leader));

            // When a second broker, a follower, is stopped
            final int newLeader = partition(admin).leader().id();
            final int follower = partition(admin).replicas().stream().mapToInt(Node::id)
                    .filter(id -> id != leader && id != newLeader).findFirst().orElseThrow();
            kafka.stopBroker(follower);

            // Then acks=all writes are refused for lack of in-sync replicas
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> noRetries.send(record("two brokers down")).get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(NotEnoughReplicasException.class));

            // And when both come back, writes are accepted again
            kafka.startBroker(leader);
            kafka.startBroker(follower);
            await().atMost(Duration.ofSeconds(60)).until(() -> partition(admin).isr().size() == 3);
            producer.send(record("all back")).get(30, TimeUnit.SECONDS);
        }
    }

    private static ProducerRecord<String, String> record(final String value) {
        return new ProducerRecord<>(TOPIC, "crane-2", value);
    }

    private static TopicPartitionInfo partition(final Admin admin) throws Exception {
        final TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(TOPIC);
        return description.partitions().get(0);
    }
}
