package io.sitewire.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.auth.AuthConfig;
import io.sitewire.gateway.auth.RoomAuthorizer;
import io.sitewire.gateway.auth.TestTokens;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.fanout.RegistryDecoder;
import io.sitewire.gateway.ws.Connection;
import io.sitewire.gateway.ws.PrincipalAccess;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The auth matrix on /v1/stream with the real token verifier (HS256) and room authoriser. */
@SitewireStack
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamAuthIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes-for-tests";
    private GatewayFixture fx;
    private GatewayServer gw;
    private WebSocketClient client;
    private final String project = "pa" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start(final LocalStack stack) throws Exception {
        fx = new GatewayFixture(stack.bootstrapServers(), stack.registryUrl());
        final PrincipalAccess access = new PrincipalAccess(TokenVerifier.fromConfig(AuthConfig.hs256(SECRET)), new RoomAuthorizer());
        gw = GatewayServer.start(fx.config(Map.of()), access, new RegistryDecoder(fx.registry), null, GatewayServer.newRegistry());
        client = new WebSocketClient();
        client.start();
        await().atMost(Duration.ofSeconds(60)).until(gw::ready);
    }

    @AfterAll
    void stop() throws Exception {
        client.stop();
        gw.close();
        fx.close();
    }

    private String token(final String secret, final String subject, final List<String> roles, final Duration ttl) {
        return TestTokens.hs256(secret, subject, List.of(project), roles, List.of(), ttl);
    }

    private WsClient connect(final String token) throws Exception {
        return WsClient.connect(client, gw.streamUri(), token);
    }

    @Test
    void noTokenIsUnauthorized() throws Exception {
        final WsClient ws = connect(null);
        assertThat(ws.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
        assertThat(ws.frames("error").get(0).get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aBadSignatureIsUnauthorized() throws Exception {
        final WsClient ws = connect(token("another-secret-of-at-least-32-bytes-long!!", "m1", List.of("manager"), Duration.ofHours(1)));
        assertThat(ws.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
    }

    @Test
    void anExpiredTokenIsUnauthorized() throws Exception {
        final WsClient ws = connect(token(SECRET, "m1", List.of("manager"), Duration.ofMinutes(-10)));
        assertThat(ws.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
    }

    @Test
    void aDeviceTokenMayNotStream() throws Exception {
        final WsClient ws = connect(token(SECRET, "hub-1", List.of("device"), Duration.ofHours(1)));
        assertThat(ws.awaitClose(WAIT)).isEqualTo(Connection.CLOSE_FORBIDDEN);
        assertThat(ws.frames("error").get(0).get("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void roomsAreAuthorisedByProjectAndRole() throws Exception {
        // A worker may join the project room but not management, nor another project
        final WsClient worker = connect(TestTokens.hs256(SECRET, "w7", "w7", List.of(project), List.of("worker"), List.of(), Duration.ofHours(1)));
        worker.subscribe("ok", "\"project:" + project + "\"", null);
        worker.awaitOp("subscribed", "ok");
        worker.subscribe("mgmt", "\"management:project:" + project + "\"", null);
        assertThat(worker.awaitOp("error", "mgmt").get("code").asText()).isEqualTo("forbidden");
        worker.subscribe("other", "\"project:elsewhere\"", null);
        assertThat(worker.awaitOp("error", "other").get("code").asText()).isEqualTo("forbidden");
        worker.subscribe("own", "\"worker:w7:project:" + project + "\"", null);
        worker.awaitOp("subscribed", "own");
        worker.subscribe("theirs", "\"worker:w8:project:" + project + "\"", null);
        assertThat(worker.awaitOp("error", "theirs").get("code").asText()).isEqualTo("forbidden");
        // A manager may join management
        final WsClient manager = connect(token(SECRET, "m1", List.of("manager"), Duration.ofHours(1)));
        manager.subscribe("mgmt", "\"management:project:" + project + "\"", null);
        manager.awaitOp("subscribed", "mgmt");
        worker.close();
        manager.close();
    }

    @Test
    void aTokenThatExpiresWhileConnectedClosesWith4001() throws Exception {
        final WsClient ws = connect(token(SECRET, "m2", List.of("manager"), Duration.ofSeconds(2)));
        ws.subscribe("s", "\"project:" + project + "\"", null);
        ws.awaitOp("subscribed", "s");
        assertThat(ws.awaitClose(Duration.ofSeconds(60))).isEqualTo(Connection.CLOSE_UNAUTHORIZED);
        assertThat(ws.closeReason()).isEqualTo("token expired");
    }
}
