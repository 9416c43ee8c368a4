package io.sitewire.localstack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;

/**
 * Provides one {@link LocalStack} per test JVM: started on first use, kept in the root store and
 * closed by JUnit after the last test. Settings are read as JUnit configuration parameters (which
 * include system properties), else environment variables.
 *
 * <p>The stack is obtained before the test class is constructed or its {@code @BeforeAll} runs, so
 * that an abort (testcontainers mode without Docker) skips the class rather than failing parameter
 * resolution.
 */
public final class LocalStackExtension implements BeforeAllCallback, TestInstancePreConstructCallback,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public void beforeAll(final ExtensionContext context) {
        stack(context);
    }

    @Override
    public void preConstructTestInstance(final TestInstanceFactoryContext factoryContext,
                                         final ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext context) {
        return parameterContext.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext context) {
        return stack(context);
    }

    /** A failed start is remembered by the store, so every later class fails (or skips) at once, not after another timeout. */
    static LocalStack stack(final ExtensionContext context) {
        final ExtensionContext root = context.getRoot();
        return root.getStore(NAMESPACE)
                .getOrComputeIfAbsent(StartedStack.class, key -> StackStarter.start(name -> setting(root, name)),
                        StartedStack.class)
                .stack();
    }

    private static String setting(final ExtensionContext context, final String name) {
        return context.getConfigurationParameter(name)
                .filter(value -> !value.isBlank())
                .orElseGet(() -> Settings.get(name));
    }
}
