package io.sitewire.launcher;

import io.sitewire.schemas.provision.ProvisionReport;
import io.sitewire.schemas.provision.SchemaProvisioner;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Provisions the catalogue on a cluster; shared by {@code up} and {@code provision}. */
final class Provisioning {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Provisioning() {
    }

    /** Topics, then (when a registry is given) their value schemas with pinned compatibility. */
    static ProvisionReport provision(final String bootstrapServers, final Map<String, Object> clientSettings,
                                     final String registryUrl, final TopicCatalogue catalogue, final Short replicationFactor) {
        final ProvisionReport report = provision(bootstrapServers, clientSettings, catalogue, replicationFactor);
        if (registryUrl != null) {
            new SchemaProvisioner(HttpSchemaRegistryClient.builder(registryUrl).build()).provision(catalogue.all());
        }
        return report;
    }

    static ProvisionReport provision(final String bootstrapServers, final Map<String, Object> clientSettings,
                                     final TopicCatalogue catalogue, final Short replicationFactor) {
        final Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            final short rf = replicationFactor != null ? replicationFactor : TopicProvisioner.defaultReplicationFactor(admin, TIMEOUT);
            return new TopicProvisioner(admin, rf, TIMEOUT).provision(catalogue.all());
        }
    }
}
