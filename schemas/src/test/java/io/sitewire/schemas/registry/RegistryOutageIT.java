package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WorkerPosition;
import io.sitewire.localstack.ApicurioRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry goes down while producers and consumers run: what they have cached keeps flowing, what they have not
 * fails fast and clearly, and once the registry is back new schemas register again. Has its own registry, since it
 * stops it.
 */
@Tag("integration")
class RegistryOutageIT {

    private static final String TOPIC = "sitewire.alerts";

    private static ApicurioRegistry registry;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start(ApicurioRegistry.Options.defaults());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void cachedSchemasKeepFlowingWhileTheRegistryIsDownAndNewOnesFailClearly() {
        // Given a producer and a consumer (configured from properties, fast retries) that have seen Alerts
        final Map<String, Object> props = Map.of(
                SchemaRegistryClients.URL, registry.ccompatUrl(),
                SchemaRegistryClients.RETRY_ATTEMPTS, 3,
                SchemaRegistryClients.RETRY_BACKOFF_MS, 100,
                SchemaRegistryClients.RETRY_BACKOFF_MAX_MS, 200);
        final AvroSerde<Alert> producer = AvroSerdes.forClass(Alert.class, props, false);
        final AvroSerde<Alert> consumer = AvroSerdes.forClass(Alert.class, SchemaRegistryClients.newClient(props),
                false);
        final byte[] before = producer.serializer().serialize(TOPIC, SampleEvents.alert());
        assertThat(consumer.deserializer().deserialize(TOPIC, before)).isEqualTo(SampleEvents.alert());
        final String url = registry.ccompatUrl();

        // When the registry stops
        registry.stop();

        // Then Alerts still go both ways, as a Streams task re-created from the same properties does too
        for (int i = 0; i < 100; i++) {
            final Alert alert = Alert.newBuilder(SampleEvents.alert()).setAlertId("during-outage-" + i).build();
            assertThat(consumer.deserializer().deserialize(TOPIC, producer.serializer().serialize(TOPIC, alert)))
                    .isEqualTo(alert);
        }
        final AvroSerializer<Alert> recreated = new AvroSerializer<>();
        recreated.configure(props, false);
        assertThat(recreated.serialize(TOPIC, SampleEvents.alertMinimal())).isNotNull();

        // And a type never seen before fails after the retries, naming the registry, the subject and the cause
        final long start = System.nanoTime();
        assertThatThrownBy(() -> AvroSerdes.forClass(SensorReading.class, props, false).serializer()
                .serialize("sitewire.sensor-readings", SampleEvents.sensorReading()))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageStartingWith("Cannot encode value for topic 'sitewire.sensor-readings': schema registry "
                        + "unavailable while registering the schema of io.sitewire.events.SensorReading under "
                        + "subject 'sitewire.sensor-readings-value': Schema registry " + url + " unreachable: "
                        + "register schema for subject 'sitewire.sensor-readings-value' failed after 3 attempts in ")
                .hasMessageContaining("ConnectException")
                .satisfies(e -> assertThat(((AvroSerdeException) e).isPoison()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // And a consumer without the writer schema cannot read even a known-good record
        assertThatThrownBy(() -> AvroSerdes.forClass(Alert.class, SchemaRegistryClients.newClient(props), false)
                .deserializer().deserialize(TOPIC, before))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("while fetching writer schema id " + WireFormat.schemaIdOf(before));

        // When the registry is back (empty: Apicurio's in-memory storage does not survive a restart)
        registry.restart();

        // Then new schemas register, and a consumer with an empty cache fetches them
        final byte[] after = AvroSerdes.forClass(WorkerPosition.class, props, false).serializer()
                .serialize("sitewire.worker-positions", SampleEvents.workerPosition());
        assertThat(AvroSerdes.forClass(WorkerPosition.class, SchemaRegistryClients.newClient(props), false)
                .deserializer().deserialize("sitewire.worker-positions", after))
                .isEqualTo(SampleEvents.workerPosition());
    }
}
