package io.sitewire.fault;

import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One cluster of 3 brokers with 3 separate controllers and one real Apicurio registry, shared by every test class of
 * the suite (started once, ~10 s, closed when the run ends). Tests that break a part put it back before they finish,
 * and each test uses topics and application ids of its own, so they never see each other's records.
 */
public final class FaultStack implements ParameterResolver, AutoCloseable {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultStack.class);

    private final EmbeddedKafka kafka;
    private final ApicurioRegistry registry;

    /** For JUnit's {@code @ExtendWith}; the instance that holds the stack lives in the root store. */
    public FaultStack() {
        this.kafka = null;
        this.registry = null;
    }

    private FaultStack(final EmbeddedKafka kafka, final ApicurioRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    private static FaultStack start() {
        final EmbeddedKafka kafka = EmbeddedKafka.startCluster(3, 3);
        try {
            return new FaultStack(kafka, ApicurioRegistry.start(ApicurioRegistry.Options.defaults()));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == FaultStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(FaultStack.class, key -> start(), FaultStack.class);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
