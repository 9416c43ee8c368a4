package io.sitewire.localstack;

/** A started stack and what must be stopped with it; the JUnit root store closes it after the last test. */
record StartedStack(LocalStack stack, AutoCloseable resources) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
