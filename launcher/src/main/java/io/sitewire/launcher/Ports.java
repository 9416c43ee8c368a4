package io.sitewire.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks ports before anything starts, so a clash is reported by name instead of as a bind stack trace. */
final class Ports {

    private Ports() {
    }

    static void requireFree(final int port, final String service, final String option) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers themselves do: sockets of a previous run in TIME_WAIT must not count as "in use".
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (final IOException e) {
            throw new StartupException("port " + port + " for the " + service + " is in use (is another Sitewire or Kafka running?). "
                    + "Stop it, or choose another port with " + option + " N.");
        }
    }
}
