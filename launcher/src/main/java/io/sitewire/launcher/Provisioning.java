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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Provisioning.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Provisioning() {
    }

    /** Topics, then (when a registry is given) their value schemas with pinned compatibility. */
    static ProvisionReport provision(final String bootstrapServers, final Map<String, Object> clientSettings,
                                     final String registryUrl, final TopicCatalogue catalogue, final Short replicationFactor) {
        final ProvisionReport report = provision(bootstrapServers, clientSettings, catalogue, replicationFactor);
        if (registryUrl != null) {
            provisionSchemas(registryUrl, catalogue);
        }
        return report;
    }

    /** The catalogue's value schemas with pinned compatibility. */
    static void provisionSchemas(final String registryUrl, final TopicCatalogue catalogue) {
        final SchemaProvisioner schemas = new SchemaProvisioner(HttpSchemaRegistryClient.builder(registryUrl).build());
        try {
            schemas.provision(catalogue.all());
        } catch (final RuntimeException first) {
            // Under heavy load a request that timed out and was retried has been seen to find its own first
            // attempt's work (409 "rule already exists"). Provisioning is idempotent: once more settles it.
            LOG.warn("schema provisioning failed once; retrying: {}", first.getMessage());
            schemas.provision(catalogue.all());
        }
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
