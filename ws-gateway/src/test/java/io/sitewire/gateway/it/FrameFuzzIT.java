package io.sitewire.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitewire.events.Priority;
import io.sitewire.gateway.GatewayServer;
import io.sitewire.gateway.fuzz.Fuzz;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real gateway, a real broker and registry: one client sends hundreds of malformed frames (not JSON, not objects,
 * wrong types, unknown ops and rooms, oversized, deeply nested, binary) while another client of the same project
 * receives alerts. Each malformed frame is answered with exactly one {@code error} frame of the right code, the
 * fuzzing connection stays open and answers a ping afterwards, and the other client receives every alert.
 */
@SitewireStack
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameFuzzIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int FRAMES = 400;
    private static final int ALERTS = 20;
    private static final int MAX_FRAME = 65_536;
    /** Ids that are not a string of at most 64 characters. */
    private static final String[] BAD_IDS = {"7", "true", "[]", "{}", "1.5", "\"" + "x".repeat(65) + "\""};

    private final String project = "pz" + UUID.randomUUID().toString().substring(0, 8);
    private GatewayFixture fx;
    private GatewayServer gw;
    private WebSocketClient client;

    @BeforeAll
    void start(final LocalStack stack) throws Exception {
        fx = new GatewayFixture(stack.bootstrapServers(), stack.registryUrl());
        // The rate limit is out of reach here: every frame must be parsed (flooding is StreamAuthIT's and the
        // RateLimiterTest's concern).
        gw = fx.gateway(Map.of("ws.rate.limit.per.second", "100000", "ws.rate.limit.burst", "1000000",
                "ws.max.frame.bytes", Integer.toString(MAX_FRAME)), new TestAccess());
        client = new WebSocketClient();
        client.start();
        await().atMost(WAIT).until(gw::ready);
    }

    @AfterAll
    void stop() throws Exception {
        client.stop();
        gw.close();
        fx.close();
    }

    /** A malformed frame and the error code it must get (null text: a binary frame). */
    private record Bad(String text, String code) {
    }

    /** Lone surrogates cannot be sent as UTF-8 text at all; replace them (escaped ones stay in the JSON). */
    private Bad malformed(final Random random) {
        final Bad bad = anyMalformed(random);
        if (bad.text() == null) {
            return bad;
        }
        final StringBuilder text = new StringBuilder(bad.text());
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                text.setCharAt(i, 'x');
            }
        }
        return new Bad(text.toString(), bad.code());
    }

    private Bad anyMalformed(final Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new Bad("}" + Fuzz.text(random, random.nextInt(100)), Frames.BAD_REQUEST);
            case 1 -> {
                String value = Fuzz.json(random, 3);
                while (value.startsWith("{")) {
                    value = Fuzz.json(random, 3);
                }
                yield new Bad(value, Frames.BAD_REQUEST);
            }
            case 2 -> new Bad("{\"op\":" + (random.nextBoolean() ? Fuzz.json(random, 2) : "\"op-" + random.nextInt(1000) + "\"")
                    + ",\"id\":\"f" + random.nextInt(1000) + "\"}", Frames.BAD_REQUEST);
            case 3 -> {
                String name = Fuzz.text(random, random.nextInt(40));
                while (Room.parse(name).isPresent()) {
                    name = Fuzz.text(random, random.nextInt(40));
                }
                yield new Bad("{\"op\":\"subscribe\",\"id\":\"r\",\"rooms\":[" + Fuzz.quoted(name) + "]}", Frames.UNKNOWN_ROOM);
            }
            case 4 -> new Bad("{\"op\":\"subscribe\",\"id\":" + BAD_IDS[random.nextInt(BAD_IDS.length)]
                    + ",\"rooms\":[\"project:" + project + "\"]}", Frames.BAD_REQUEST);
            case 5 -> new Bad("{\"op\":\"ping\",\"id\":\"" + "x".repeat(MAX_FRAME + random.nextInt(MAX_FRAME)) + "\"}", Frames.TOO_LARGE);
            case 6 -> new Bad(Fuzz.deep(random, 2_000 + random.nextInt(3_000)), Frames.BAD_REQUEST);
            default -> new Bad(null, Frames.BAD_REQUEST);
        };
    }

    private static void sendAndWait(final WsClient ws, final Bad bad) throws Exception {
        final CompletableFuture<Void> sent = new CompletableFuture<>();
        final Callback callback = Callback.from(() -> sent.complete(null), sent::completeExceptionally);
        if (bad.text() == null) {
            ws.session().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), callback);
        } else {
            ws.session().sendText(bad.text(), callback);
        }
        sent.get(30, TimeUnit.SECONDS);
    }

    @Test
    void malformedFramesAreAnsweredWithErrorsAndOtherClientsKeepReceiving() throws Exception {
        // Given a listener subscribed to the project room, and a fuzzing client of the same project
        final WsClient listener = WsClient.connect(client, gw.streamUri(), TestAccess.token("listener", project));
        listener.subscribe("l", "\"project:" + project + "\"", null);
        listener.awaitOp("subscribed", "l");
        // Without permessage-deflate: compressing random text would cost more than the frames themselves.
        final WsClient fuzzer = WsClient.connect(client, gw.streamUri(), TestAccess.token("fuzzer", project), true, false);
        final long base = 90_000;
        int expectedErrors = 0;
        // When the fuzzer sends malformed frames, and alerts are published meanwhile
        int published = 0;
        for (int i = 0; i < FRAMES; i++) {
            final long seed = base + i;
            final Bad bad = malformed(new Random(seed));
            try {
                sendAndWait(fuzzer, bad);
            } catch (final Exception e) {
                throw new AssertionError("sending the frame of seed " + seed + " failed", e);
            }
            expectedErrors++;
            final int errorsNow = expectedErrors;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                    .until(() -> fuzzer.frames("error").size() >= errorsNow);
            final JsonNode error = fuzzer.frames("error").get(errorsNow - 1);
            assertThat(error.get("code").asText()).as("seed %d: %s", seed, abbreviate(bad.text())).isEqualTo(bad.code());
            assertThat(error.get("message").asText()).isNotEqualTo("the frame could not be handled");
            if (i % (FRAMES / ALERTS) == 0) {
                fx.publish(Alerts.alert(project, Priority.HIGH, published++));
            }
        }
        fx.flush();
        // Then each frame got exactly one error, the fuzzer is still connected and answers a ping
        assertThat(fuzzer.frames("error")).hasSize(FRAMES);
        assertThat(fuzzer.isClosed()).isFalse();
        fuzzer.send("{\"op\":\"ping\",\"id\":\"after\"}");
        fuzzer.awaitOp("pong", "after");
        // And the listener received every alert, in order
        final int total = published;
        await().atMost(WAIT).until(() -> listener.events().size() >= total);
        assertThat(listener.events()).extracting(Alerts::seqOf).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, total).boxed().toList());
        assertThat(Set.copyOf(fuzzer.frames().stream().map(f -> f.get("op").asText()).toList())).isSubsetOf(List.of("error", "pong"));
        listener.close();
        fuzzer.close();
    }

    private static String abbreviate(final String text) {
        return text == null ? "(binary)" : text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
