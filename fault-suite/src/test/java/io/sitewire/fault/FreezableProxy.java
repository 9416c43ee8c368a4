package io.sitewire.fault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 that can freeze: it then stops forwarding in both directions but keeps every socket open,
 * so neither end sees a FIN or RST, as when a phone walks out of Wi-Fi range. One thread per direction, blocking NIO.
 */
final class FreezableProxy implements AutoCloseable {

    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final List<SocketChannel> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    FreezableProxy(final InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        daemon("proxy-accept", this::accept).start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Stops forwarding; bytes already read are held, not delivered, and no socket is closed. */
    void freeze() {
        frozen = true;
    }

    private void accept() {
        try {
            while (!closed) {
                final SocketChannel client = server.accept();
                final SocketChannel upstream = SocketChannel.open(target);
                sockets.add(client);
                sockets.add(upstream);
                daemon("proxy-up", () -> pump(client, upstream)).start();
                daemon("proxy-down", () -> pump(upstream, client)).start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(final SocketChannel from, final SocketChannel to) {
        final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                awaitThaw();
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // a socket was closed (by an end or by close()): this direction is done
        }
    }

    /** A frozen proxy holds its threads here until it is closed: a cut link never comes back by itself. */
    private void awaitThaw() throws InterruptedException {
        synchronized (gate) {
            while (frozen && !closed) {
                gate.wait();
            }
        }
        if (closed) {
            throw new InterruptedException("proxy closed");
        }
    }

    private static Thread daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        server.close();
        for (final SocketChannel socket : sockets) {
            socket.close();
        }
    }
}
