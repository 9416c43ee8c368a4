package io.sitewire.localstack;

/**
 * The Kafka cluster and schema registry one test JVM shares, as tests see it. Obtain it as a
 * parameter of a test, constructor or lifecycle method in a class annotated {@link SitewireStack}.
 */
public final class LocalStack {

    private final StackMode mode;
    private final String bootstrapServers;
    private final String registryUrl;
    private final EmbeddedKafka kafka;
    private final ApicurioRegistry registry;

    LocalStack(final StackMode mode, final String bootstrapServers, final String registryUrl,
               final EmbeddedKafka kafka, final ApicurioRegistry registry) {
        this.mode = mode;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.kafka = kafka;
        this.registry = registry;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The Confluent-compatible API base, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The embedded cluster, for fault tests (stop/start a broker); only in the embedded mode. */
    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new UnsupportedOperationException("kafka() is only available with SITEWIRE_STACK=embedded;"
                    + " this run uses the " + mode.key() + " stack, whose Kafka this JVM does not control."
                    + " Use bootstrapServers(), or guard fault tests with an assumption on the mode.");
        }
        return kafka;
    }

    /** The registry process, for fault tests (stop/restart); only in the embedded mode. */
    public ApicurioRegistry registry() {
        if (registry == null) {
            throw new UnsupportedOperationException("registry() is only available with SITEWIRE_STACK=embedded;"
                    + " this run uses the " + mode.key() + " stack, whose registry this JVM does not control."
                    + " Use registryUrl(), or guard fault tests with an assumption on the mode.");
        }
        return registry;
    }

    @Override
    public String toString() {
        return "LocalStack[" + mode.key() + ", kafka " + bootstrapServers + ", registry " + registryUrl + "]";
    }
}
