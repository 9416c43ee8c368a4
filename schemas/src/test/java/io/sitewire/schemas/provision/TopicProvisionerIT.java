package io.sitewire.schemas.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.events.Priority;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

@SitewireStack
class TopicProvisionerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void createsTheCatalogueThenFindsNothingToDo(final LocalStack stack) throws Exception {
        // Given a catalogue under a prefix no other test uses
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("prov-" + UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = admin(stack)) {
            final TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1, TIMEOUT);

            // When it is provisioned twice
            final ProvisionReport first = provisioner.provision(catalogue.all());
            final ProvisionReport second = provisioner.provision(catalogue.all());

            // Then the first run creates every topic with its settings, the second finds them as catalogued
            assertThat(first.created()).hasSize(catalogue.all().size());
            assertThat(first.hasDrift()).isFalse();
            assertThat(second.created()).isEmpty();
            assertThat(second.unchanged()).hasSize(catalogue.all().size());
            final TopicSpec<?> emergency = catalogue.alerts().topic(Priority.EMERGENCY);
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, emergency.name());
            final var config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(emergency.configs().get(TopicConfig.RETENTION_MS_CONFIG));
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
            assertThat(admin.describeTopics(List.of(emergency.name())).allTopicNames().get().get(emergency.name()).partitions())
                    .hasSize(emergency.partitions());
        }
    }

    @Test
    void reportsDriftWithoutChangingAnything(final LocalStack stack) throws Exception {
        // Given provisioned topics, one of which an operator then changed by hand
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix("drift-" + UUID.randomUUID().toString().substring(0, 8));
        final TopicSpec<?> alerts = catalogue.alerts().topic(Priority.EMERGENCY);
        final TopicSpec<?> readings = catalogue.sensorReadings();
        try (Admin admin = admin(stack)) {
            final TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1, TIMEOUT);
            provisioner.provision(catalogue.all());
            final ConfigResource alertsResource = new ConfigResource(ConfigResource.Type.TOPIC, alerts.name());
            admin.incrementalAlterConfigs(Map.of(alertsResource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "3600000"), AlterConfigOp.OpType.SET)))).all().get();
            admin.createPartitions(Map.of(readings.name(), NewPartitions.increaseTo(readings.partitions() + 2))).all().get();
            // The broker's metadata catches up with the controller asynchronously: wait until it shows both changes.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(java.util.concurrent.ExecutionException.class).until(() ->
                    "3600000".equals(admin.describeConfigs(Set.of(alertsResource)).all().get().get(alertsResource)
                            .get(TopicConfig.RETENTION_MS_CONFIG).value())
                    && admin.describeTopics(List.of(readings.name())).allTopicNames().get().get(readings.name())
                            .partitions().size() == readings.partitions() + 2);

            // When provisioning runs again
            final ProvisionReport report = provisioner.provision(catalogue.all());

            // Then both drifts are reported, and the topics are left as the operator made them
            assertThat(report.drifts()).containsExactlyInAnyOrder(
                    new Drift(alerts.name(), TopicConfig.RETENTION_MS_CONFIG, alerts.configs().get(TopicConfig.RETENTION_MS_CONFIG), "3600000"),
                    new Drift(readings.name(), "partitions", Integer.toString(readings.partitions()), Integer.toString(readings.partitions() + 2)));
            assertThat(report.describe()).contains("DRIFT " + alerts.name() + ": retention.ms is 3600000");
            assertThat(report.unchanged()).hasSize(catalogue.all().size() - 2);
            final var config = admin.describeConfigs(Set.of(alertsResource)).all().get().get(alertsResource);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("3600000");
        }
    }

    private static Admin admin(final LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }
}
