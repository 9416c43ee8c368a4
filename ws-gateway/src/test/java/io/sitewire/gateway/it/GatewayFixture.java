package io.sitewire.gateway.it;

import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.fanout.RegistryDecoder;
import io.sitewire.gateway.ws.StreamAccess;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.registry.AvroSerdes;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClients;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.provision.TopicProvisioner;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Topics under a prefix of their own (so test classes sharing the broker never see each other's records),
 * a producer of Sitewire records, and gateways started on free ports.
 */
public final class GatewayFixture implements AutoCloseable {

    public final String bootstrapServers;
    public final String registryUrl;
    public final String prefix;
    public final TopicCatalogue catalogue;
    public final SchemaRegistryClient registry;
    public final Admin admin;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final RecordRouting routing;

    public GatewayFixture(final String bootstrapServers, final String registryUrl) {
        AvroTrust.install();
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.prefix = "gw" + UUID.randomUUID().toString().substring(0, 8);
        this.catalogue = TopicCatalogue.withPrefix(prefix);
        this.routing = new RecordRouting(catalogue);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(60)).provision(catalogue.all());
        this.registry = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, registryUrl));
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.forGeneratedClasses(registry, false).serializer());
    }

    public Future<RecordMetadata> publish(final SpecificRecord record) {
        return producer.send(new ProducerRecord<>(routing.topicFor(record).name(), routing.keyFor(record), record));
    }

    public void flush() {
        producer.flush();
    }

    public GatewayConfig config(final Map<String, String> overrides) {
        final Map<String, String> all = new HashMap<>();
        all.put("port", "0");
        all.put("bind.host", "127.0.0.1");
        all.put("bootstrap.servers", bootstrapServers);
        all.put("schema.registry.url", registryUrl);
        all.put("topic.prefix", prefix);
        all.put("ws.heartbeat.interval", "500ms");
        all.put("ws.idle.timeout", "3s");
        all.put("ws.rate.limit.per.second", "200");
        all.put("ws.rate.limit.burst", "200");
        all.putAll(overrides);
        return GatewayConfig.of(all);
    }

    public GatewayServer gateway(final Map<String, String> overrides, final StreamAccess access) throws Exception {
        return GatewayServer.start(config(overrides), access, new RegistryDecoder(registry), null, GatewayServer.newRegistry());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
