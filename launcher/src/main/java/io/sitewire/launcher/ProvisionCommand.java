package io.sitewire.launcher;

import io.sitewire.schemas.provision.ProvisionReport;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates missing topics on any cluster and reports drift; exit code 3 when something drifted. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Create missing Sitewire topics with their catalogued settings and report drift in existing ones.",
                "Never deletes or changes an existing topic. KAFKA_* environment variables pass through to the admin client",
                "(e.g. KAFKA_SECURITY_PROTOCOL=SASL_SSL). Exit code 3 when a topic drifted."})
final class ProvisionCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers")
    String bootstrapServers;

    @Option(names = "--replication-factor", description = "replication factor for new topics (default: 3, or the broker count if fewer)")
    Short replicationFactor;

    @Option(names = "--topic-prefix", defaultValue = TopicCatalogue.LIVE_PREFIX, description = "topic prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Override
    public Integer call() {
        final ProvisionReport report = Provisioning.provision(bootstrapServers, KafkaClientEnv.from(System.getenv()),
                TopicCatalogue.withPrefix(prefix), replicationFactor);
        System.out.println(report.describe());
        return report.hasDrift() ? 3 : 0;
    }
}
