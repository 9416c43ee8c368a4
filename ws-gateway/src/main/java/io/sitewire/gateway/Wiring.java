package io.sitewire.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.RoomAuthorizer;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.ingest.IngestConfig;
import io.sitewire.gateway.ingest.IngestHandler;
import io.sitewire.gateway.replay.http.ReplayHttpHandler;
import io.sitewire.gateway.replay.http.ReplayLimits;
import io.sitewire.gateway.ws.PrincipalAccess;
import io.sitewire.gateway.ws.StreamAccess;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the gateway core meets the auth and ingest packages: one token verifier for the stream and the
 * ingest, room authorisation for the stream, the POST /v1/events handler with its producer, and GET /v1/replay.
 */
record Wiring(TokenVerifier verifier, StreamAccess access, IngestHandler ingest, ReplayHttpHandler replayHttp,
        KafkaProducer<String, byte[]> producer)
        implements AutoCloseable {

    static Wiring of(final GatewayConfig config, final SchemaRegistryClient registry, final MeterRegistry metrics) {
        final TokenVerifier verifier = TokenVerifier.fromConfig(AuthConfig.fromProperties(config.auth()));
        final IngestConfig ingestConfig = IngestConfig.fromProperties(config.ingest());
        final Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sitewire-gateway-ingest");
        props.putAll(ingestConfig.producerSettings());
        final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        final IngestHandler ingest = new IngestHandler(verifier, producer, registry, TopicCatalogue.withPrefix(config.topicPrefix()),
                ingestConfig, metrics);
        final Map<String, Object> consumer = new HashMap<>(config.kafka());
        consumer.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        final ReplayHttpHandler replayHttp = new ReplayHttpHandler(verifier, registry, TopicCatalogue.withPrefix(config.topicPrefix()),
                consumer, ReplayLimits.of(config.replayConcurrency()), metrics);
        return new Wiring(verifier, new PrincipalAccess(verifier, new RoomAuthorizer()), ingest, replayHttp, producer);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
