package io.sitewire.launcher.soak;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The site JVM's heap and threads, read over JMX from outside: the soak attaches to the site's process (same user, the
 * JDK's Attach API), starts its local management agent and reads the platform MXBeans. Heap "after GC" asks that JVM
 * for a full collection first, so the number is live data, not garbage waiting to be collected.
 */
final class HeapProbe implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;

    private HeapProbe(final JMXConnector connector, final MemoryMXBean memory, final ThreadMXBean threads) {
        this.connector = connector;
        this.memory = memory;
        this.threads = threads;
    }

    static HeapProbe attach(final long pid) throws IOException {
        final VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (final com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to process " + pid + ": " + e.getMessage(), e);
        }
        final String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        final JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        final var server = connector.getMBeanServerConnection();
        return new HeapProbe(connector,
                ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class),
                ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class));
    }

    /** Heap in use now, MB. */
    double heapUsedMb() {
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Heap in use right after a full GC in that JVM, MB. */
    double heapAfterGcMb() {
        memory.gc();
        return heapUsedMb();
    }

    int threads() {
        return threads.getThreadCount();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (final IOException e) {
            // The site has stopped already: nothing to close on its side.
        }
    }
}
