package io.sitewire.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistentKafkaIT {

    @Test
    void keepsARecordAcrossARestartOnTheSameFolder(@TempDir final Path dataDir) throws Exception {
        // Given a node on a fresh folder holding one record
        final int port = Ports.freePort();
        try (PersistentKafka kafka = PersistentKafka.start(dataDir, port);
             Admin admin = TestClients.admin(kafka.bootstrapServers());
             KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            admin.createTopics(List.of(new NewTopic("roll-call", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("roll-call", "site-1", "all present")).get(30, TimeUnit.SECONDS);
        }

        // When it starts again on the same folder (and, to prove nothing pins it, another port)
        final int otherPort = Ports.freePort();
        try (PersistentKafka kafka = PersistentKafka.start(dataDir, otherPort);
             KafkaConsumer<String, String> consumer = TestClients.consumer(kafka.bootstrapServers())) {
            consumer.subscribe(List.of("roll-call"));

            // Then the record is still there
            final List<ConsumerRecord<String, String>> records = TestClients.readAtLeast(consumer, 1);
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("all present");
        }
    }

    @Test
    void saysWhatToDoWhenThePortIsTaken(@TempDir final Path dataDir) throws Exception {
        // Given a port something else listens on
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // When Kafka is asked to use it
            // Then it fails before touching the folder, saying what to do
            assertThatThrownBy(() -> PersistentKafka.start(dataDir, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("pick another port");
        }
    }

    @Test
    void saysWhatToDoWhenTheFolderIsCorrupt(@TempDir final Path dataDir) throws Exception {
        // Given a folder whose Kafka metadata file is garbage
        Files.writeString(dataDir.resolve("meta.properties"), "\u0000\u0001 not a properties file \\u12");

        // When Kafka starts on it
        // Then it fails, saying to delete the folder or start fresh
        assertThatThrownBy(() -> PersistentKafka.start(dataDir, Ports.freePort()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.toString())
                .hasMessageContaining("delete it");
    }
}
