package io.sitewire.gateway;

import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.ws.StreamAccess;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import org.eclipse.jetty.server.Handler;

/**
 * Where the gateway core meets the auth and ingest packages: token verification and room authorisation
 * for the stream, and the POST /v1/events handler.
 */
final class Wiring {

    private Wiring() {
    }

    static StreamAccess access(final GatewayConfig config) {
        throw new IllegalStateException("token verification (io.sitewire.gateway.auth) is not wired yet");
    }

    static Handler ingest(final GatewayConfig config, final SchemaRegistryClient registry) {
        return null;
    }
}
