package io.sitewire.localstack;

import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.server.ServerSocketFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The test kit pre-binds every listener socket on the wildcard address (0.0.0.0) before the
 * servers start; this replacement binds them on 127.0.0.1 so that a test cluster is never
 * reachable from the network. The kit's socket factory asks us for the pre-bound socket through
 * {@link #getSocketForListenerAndMarkAsUsed}, and re-binds a closed one (a restarted broker) on the
 * host of the listener config, which {@link EmbeddedKafka} also sets to 127.0.0.1.
 */
final class LoopbackSocketFactoryManager extends PreboundSocketFactoryManager {

    private final Map<Integer, Map<String, ServerSocketChannel>> sockets = new HashMap<>();
    private final Map<Integer, Set<String>> used = new HashMap<>();
    private boolean closed;

    @Override
    public synchronized int getOrCreatePortForListener(final int nodeId, final String listener) throws IOException {
        final Map<String, ServerSocketChannel> forNode = sockets.computeIfAbsent(nodeId, id -> new HashMap<>());
        ServerSocketChannel channel = forNode.get(listener);
        if (channel == null) {
            if (closed) {
                throw new IllegalStateException("Cannot open a new socket: the manager is closed");
            }
            channel = ServerSocketFactory.INSTANCE.openServerSocket(
                    listener, new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0), -1, -1);
            forNode.put(listener, channel);
        }
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public synchronized ServerSocketChannel getSocketForListenerAndMarkAsUsed(final int nodeId, final String listener) {
        final ServerSocketChannel channel = sockets.getOrDefault(nodeId, Map.of()).get(listener);
        if (channel != null) {
            used.computeIfAbsent(nodeId, id -> new HashSet<>()).add(listener);
        }
        return channel;
    }

    /** Closes only the sockets no server took over; a server closes its own. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (Map.Entry<Integer, Map<String, ServerSocketChannel>> node : sockets.entrySet()) {
            final Set<String> taken = used.getOrDefault(node.getKey(), Set.of());
            for (Map.Entry<String, ServerSocketChannel> socket : node.getValue().entrySet()) {
                if (!taken.contains(socket.getKey())) {
                    socket.getValue().close();
                }
            }
        }
        super.close();
    }
}
