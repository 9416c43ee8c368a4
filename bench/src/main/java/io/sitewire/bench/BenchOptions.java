package io.sitewire.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a run does.
 *
 * @param scenarios        scenario names, in run order ({@link Scenario})
 * @param clients          connected-client counts, one pass of the scenarios each
 * @param out              results folder
 * @param seconds          measured duration of the time-based scenarios (steady, end to end, ingest)
 * @param deadline         the most any one scenario may wait for its clients; then it reports what it got
 * @param cut              how long the reconnect storm keeps its clients away
 * @param steadyRate       alerts per second of the steady flow (each goes to every client)
 * @param floodDeliveries  deliveries per flood burst (burst size = this / clients)
 * @param e2eRate          sensor readings per second in the end-to-end scenario
 * @param e2eObservers     clients that receive the end-to-end alerts
 * @param deflate          whether the clients offer permessage-deflate
 * @param flowWindow       the flow-control window each client asks for (frames; 0: none), as the JS SDK does
 * @param handshakeWindow  WebSocket handshakes in flight at once during the shift start
 * @param gatewayHeap      -Xms/-Xmx of the gateway child JVM
 * @param profile          record the gateway child with JFR and summarise its hot methods
 * @param gatewayClasspathFile the gateway's runtime classpath (built by this module's POM)
 * @param topicPrefix      topic catalogue prefix
 * @param bootstrapServers a running Kafka (null: start one)
 * @param registryUrl      a running Confluent-compatible registry (null: start Apicurio)
 * @param gatewayUrl       a running gateway, http://host:port (null: start one as a child JVM)
 * @param gatewaySecret    its HS256 secret (with gatewayUrl)
 * @param startStreams     start the streams app in the bench JVM
 */
record BenchOptions(List<Scenario> scenarios, List<Integer> clients, Path out, Duration seconds, Duration deadline,
                    Duration cut, double steadyRate, long floodDeliveries, int e2eRate, int e2eObservers,
                    boolean deflate, int flowWindow, int handshakeWindow, String gatewayHeap, boolean profile,
                    Path gatewayClasspathFile, String topicPrefix, String bootstrapServers, String registryUrl,
                    String gatewayUrl, String gatewaySecret, boolean startStreams) {
}
