package io.sitewire.gateway.ws;

import io.sitewire.gateway.GatewayMetrics;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.fanout.Hub;
import io.sitewire.gateway.replay.ReplayService;
import io.sitewire.gateway.state.StateTable;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection shares ({@code sendExecutor}: the send threads, which write frames off the tailer thread). */
public record StreamContext(GatewayConfig config, PartitionSpace space, Hub hub, ReplayService replay, StateTable table,
                            StreamAccess access, GatewayMetrics metrics, ScheduledExecutorService scheduler,
                            Executor sendExecutor, Set<Connection> connections) {
}
