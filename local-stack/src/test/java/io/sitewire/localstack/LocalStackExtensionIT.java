package io.sitewire.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs in the default (embedded) mode: the failsafe JVM sets no SITEWIRE_STACK. */
@SitewireStack
class LocalStackExtensionIT {

    private static LocalStack fromBeforeAll;
    private final LocalStack fromConstructor;

    LocalStackExtensionIT(final LocalStack stack) {
        this.fromConstructor = stack;
    }

    @BeforeAll
    static void remember(final LocalStack stack) {
        fromBeforeAll = stack;
    }

    @Test
    void injectsOneSharedStackEverywhere(final LocalStack stack) {
        // Given the stack as a test, constructor and lifecycle parameter
        // Then it is the same stack, with an embedded cluster and registry behind it
        assertThat(stack).isSameAs(fromConstructor).isSameAs(fromBeforeAll);
        assertThat(stack.bootstrapServers()).isEqualTo(stack.kafka().bootstrapServers());
        assertThat(stack.registryUrl()).isEqualTo(stack.registry().ccompatUrl());
    }

    @Test
    void carriesRecordsAndSchemas(final LocalStack stack) throws Exception {
        try (Admin admin = TestClients.admin(stack.bootstrapServers());
             KafkaProducer<String, String> producer = TestClients.producer(stack.bootstrapServers(), Map.of());
             KafkaConsumer<String, String> consumer = TestClients.consumer(stack.bootstrapServers())) {
            // Given a topic
            admin.createTopics(List.of(new NewTopic("sensor-readings", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            // When a record is written and a schema registered
            producer.send(new ProducerRecord<>("sensor-readings", "gas-3", "CO 12ppm")).get(30, TimeUnit.SECONDS);
            final int status = TestClients.registerSchema(stack.registryUrl(), "sensor-readings-value",
                    "{\"type\":\"string\"}").statusCode();

            // Then both are there
            assertThat(status).isEqualTo(200);
            consumer.subscribe(List.of("sensor-readings"));
            assertThat(TestClients.readAtLeast(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("CO 12ppm");
            assertThat(TestClients.get(stack.registryUrl() + "/subjects").body()).contains("sensor-readings-value");
        }
    }
}
