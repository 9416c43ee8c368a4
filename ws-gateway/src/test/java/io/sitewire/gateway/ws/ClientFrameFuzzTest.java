package io.sitewire.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sitewire.gateway.GatewayMetrics;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.fanout.Hub;
import io.sitewire.gateway.fuzz.Fuzz;
import io.sitewire.gateway.replay.ReplayService;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.gateway.state.StateTable;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client frames, fuzzed: random and mutated JSON, wrong types, huge and deeply nested frames are handed to a real
 * {@link Connection} (its session records what it sends). Every frame must get exactly one answer, and that answer
 * is the one an independent reading of docs/protocol.md predicts: {@code pong} for a valid ping, else an
 * {@code error} with the right code, {@code flow} for a valid window, nothing for an ack of no more frames than were sent
 * and no fewer than acknowledged before. Between fuzzed frames the test acknowledges every frame sent (so a window a
 * fuzzed frame set never holds an answer back, and each fuzzed ack meets a known count). The connection's catch-all ("the frame could not be handled") must never fire:
 * it would mean an exception escaped the parsing.
 *
 * <p>The access used here refuses every room (so a well-formed subscribe ends in {@code forbidden} and starts no
 * Kafka read); the rate limit is set out of reach so every frame is parsed.
 */
class ClientFrameFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FRAME = 4096;
    private static final String[] TEMPLATES = {
        "{\"op\":\"ping\",\"id\":\"p1\"}",
        "{\"op\":\"subscribe\",\"id\":\"s1\",\"rooms\":[\"project:p1\",\"management:project:p1\"],\"from\":\"earliest\"}",
        "{\"op\":\"subscribe\",\"id\":\"s2\",\"rooms\":[\"worker:w1:project:p1\"],\"resume\":\"c1.AAAA\"}",
        "{\"op\":\"subscribe\",\"rooms\":[\"trade:crane:project:p1\"],\"from\":1795593600000}",
        "{\"op\":\"unsubscribe\",\"id\":\"u1\",\"rooms\":[\"project:p1\"]}",
        "{\"op\":\"flow\",\"id\":\"f1\",\"window\":64}",
        "{\"op\":\"ack\",\"received\":12}",
    };

    private final List<String> sent = new ArrayList<>();
    private final List<Integer> closes = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private ReplayService replay;
    private Connection connection;

    @BeforeEach
    void open() {
        final GatewayConfig config = GatewayConfig.of(Map.of("ws.max.frame.bytes", Integer.toString(MAX_FRAME),
                "ws.rate.limit.per.second", "100000", "ws.rate.limit.burst", "1000000"));
        final StreamedTopics topics = new StreamedTopics(TopicCatalogue.withPrefix("fuzz"));
        final int[] counts = new int[topics.size()];
        Arrays.fill(counts, 3);
        final PartitionSpace space = new PartitionSpace(topics, counts);
        final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        replay = new ReplayService(() -> {
            throw new AssertionError("a fuzzed frame started a Kafka read");
        }, space, (topic, bytes) -> null, 1, Duration.ofSeconds(1), metrics);
        final StreamAccess denyAll = new StreamAccess() {
            @Override
            public Identity authenticate(final String token) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<String> whyNot(final Identity identity, final Room room) {
                return Optional.of("no room is allowed in this test");
            }
        };
        final StreamContext ctx = new StreamContext(config, space, new Hub(space), replay, new StateTable(), denyAll, metrics,
                scheduler, Runnable::run, ConcurrentHashMap.newKeySet());
        connection = new Connection(ctx, new Identity("fuzzer", "manager", Instant.now().plusSeconds(3600), "fuzzer"), null);
        connection.onWebSocketOpen(session());
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
        replay.close();
    }

    /** A session that records every text frame sent and completes each send at once. */
    private Session session() {
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "sendText" -> {
                    sent.add((String) args[0]);
                    ((Callback) args[1]).succeed();
                }
                case "close" -> {
                    if (args != null && args.length == 3) {
                        closes.add((Integer) args[0]);
                    }
                }
                case "isOpen" -> {
                    return true;
                }
                case "toString" -> {
                    return "fuzz session";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> {
                    // demand, pongs, timeouts: nothing to record
                }
            }
            return null;
        });
    }

    /**
     * The answer docs/protocol.md promises for one frame: "pong", "flow", "none" (an ack), or the error code. Every
     * frame sent before this one ({@code sentBefore}) has been acknowledged.
     */
    private static String expected(final String text, final int sentBefore) {
        if (text.length() > MAX_FRAME) {
            return "too_large";
        }
        final JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (final Exception e) {
            return "bad_request";
        }
        if (frame == null || !frame.isObject()) {
            return "bad_request";
        }
        final JsonNode id = frame.get("id");
        if (id != null && !id.isNull() && (!id.isTextual() || id.asText().length() > 64)) {
            return "bad_request";
        }
        final JsonNode op = frame.get("op");
        if (op == null || !op.isTextual()) {
            return "bad_request";
        }
        return switch (op.asText()) {
            case "ping" -> "pong";
            case "flow" -> {
                final JsonNode w = frame.get("window");
                yield w != null && w.isIntegralNumber() && w.canConvertToInt() && w.asInt() >= 8 && w.asInt() <= 4096
                        ? "flow" : "bad_request";
            }
            case "ack" -> {
                final JsonNode r = frame.get("received");
                // Neither below the last ack nor above the frames sent: both are sentBefore here.
                yield r != null && r.isIntegralNumber() && r.canConvertToLong() && r.asLong() == sentBefore ? "none" : "bad_request";
            }
            case "subscribe", "unsubscribe" -> {
                final JsonNode rooms = frame.get("rooms");
                if (rooms == null || !rooms.isArray() || rooms.isEmpty() || rooms.size() > 100) {
                    yield "bad_request";
                }
                for (final JsonNode room : rooms) {
                    if (!room.isTextual() || Room.parse(room.asText()).isEmpty()) {
                        yield "unknown_room";
                    }
                }
                // Every room is refused by this test's access; nothing is subscribed, so unsubscribe is bad_request.
                yield op.asText().equals("subscribe") ? "forbidden" : "bad_request";
            }
            default -> "bad_request";
        };
    }

    private void assertAnswered(final String text) throws Exception {
        final int before = sent.size();
        final String want = expected(text, before);
        connection.onWebSocketText(text);
        if (want.equals("none")) {
            assertThat(sent.size() - before).as("answers to %s", abbreviate(text)).isZero();
            assertThat(closes).as("the connection stays open").isEmpty();
            return;
        }
        assertThat(sent.size() - before).as("answers to one frame").isEqualTo(1);
        final JsonNode answer = JSON.readTree(sent.get(sent.size() - 1));
        if (want.equals("pong") || want.equals("flow")) {
            assertThat(answer.get("op").asText()).isEqualTo(want);
        } else {
            assertThat(answer.get("op").asText()).isEqualTo("error");
            assertThat(answer.get("code").asText()).as("code for %s", abbreviate(text)).isEqualTo(want);
            assertThat(answer.get("message").asText()).isNotEqualTo("the frame could not be handled");
        }
        assertThat(closes).as("the connection stays open").isEmpty();
        connection.onWebSocketText("{\"op\":\"ack\",\"received\":" + sent.size() + "}"); // acknowledges all: no answer
        assertThat(sent).hasSize(before + 1);
    }

    private static String abbreviate(final String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Test
    void mutatedValidFramesAreAnsweredWithTheRightErrorOrPong() {
        Fuzz.run(1_000, 3_000, random -> call(() -> assertAnswered(Fuzz.mutate(random, TEMPLATES[random.nextInt(TEMPLATES.length)]))));
    }

    @Test
    void randomJsonValuesAndWrongTypesAreAnsweredWithTheRightError() {
        Fuzz.run(2_000, 3_000, random -> call(() -> assertAnswered(randomFrame(random))));
    }

    @Test
    void randomTextIsBadRequest() {
        Fuzz.run(3_000, 1_000, random -> call(() -> assertAnswered(Fuzz.text(random, random.nextInt(200)))));
    }

    @Test
    void hugeAndDeeplyNestedFramesAreAnswered() {
        Fuzz.run(4_000, 50, random -> call(() -> {
            assertAnswered("{\"op\":\"ping\",\"id\":\"" + "x".repeat(MAX_FRAME + random.nextInt(100_000)) + "\"}");
            assertAnswered("{\"op\":\"ping\",\"id\":\"d\",\"x\":" + Fuzz.deep(random, 100 + random.nextInt(MAX_FRAME / 8)) + "}");
            assertAnswered(Fuzz.deep(random, 2_000));
            final int depth = 1_001 + random.nextInt(MAX_FRAME / 2 - 1_001);
            assertAnswered("[".repeat(depth) + "]".repeat(depth));
        }));
    }

    /** An object with op/id/rooms/from/resume each present or not, and each of a random type. */
    private static String randomFrame(final Random random) {
        final List<String> fields = new ArrayList<>();
        final String[] ops = {"\"ping\"", "\"subscribe\"", "\"unsubscribe\"", "\"flow\"", "\"ack\"", "\"PING\"", "\"\""};
        if (random.nextInt(5) > 0) {
            fields.add("\"op\":" + (random.nextBoolean() ? ops[random.nextInt(ops.length)] : Fuzz.json(random, 2)));
        }
        if (random.nextBoolean()) {
            fields.add("\"id\":" + (random.nextBoolean() ? Fuzz.quoted(Fuzz.text(random, random.nextInt(80))) : Fuzz.json(random, 2)));
        }
        if (random.nextBoolean()) {
            final List<String> rooms = new ArrayList<>();
            final int n = random.nextInt(4) == 0 ? 101 : random.nextInt(4);
            for (int i = 0; i < n; i++) {
                rooms.add(random.nextBoolean() ? "\"project:p" + random.nextInt(3) + "\"" : Fuzz.json(random, 1));
            }
            fields.add("\"rooms\":" + (random.nextInt(5) == 0 ? Fuzz.json(random, 2) : "[" + String.join(",", rooms) + "]"));
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"from\":" + Fuzz.json(random, 1));
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"resume\":" + Fuzz.json(random, 1));
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"window\":" + (random.nextBoolean() ? Integer.toString(random.nextInt(5_000) - 100) : Fuzz.json(random, 1)));
        }
        if (random.nextInt(3) == 0) {
            fields.add("\"received\":" + (random.nextBoolean() ? Integer.toString(random.nextInt(40) - 5) : Fuzz.json(random, 1)));
        }
        java.util.Collections.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void call(final Step step) {
        try {
            step.run();
        } catch (final RuntimeException | Error e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
