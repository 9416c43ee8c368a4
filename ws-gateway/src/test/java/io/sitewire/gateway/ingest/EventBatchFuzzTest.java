package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.gateway.fuzz.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EventBatch#parse}, fuzzed: random bytes, mutated arrays and NDJSON, deep nesting. It returns items (each
 * with JSON or a line error) or throws its own {@link EventBatch.Malformed} / {@link EventBatch.TooMany}; nothing
 * else escapes, item indexes count from 0 without holes, and no more than the limit are returned.
 */
class EventBatchFuzzTest {

    private static final int MAX = 20;
    private static final String[] ITEMS = {
        Events.sensorReading("p1", "gas-1", 41.0, Events.T0),
        Events.wearableAlarm("p1", "w-1", Events.T0),
        Events.workerPosition("p1", "w-1", Events.T0),
        Events.equipmentStatus("p1", "crane-1", Events.T0),
        Events.workerPresence("p1", "w-1", Events.T0),
    };

    private static String body(final Random random, final boolean ndjson) {
        final int n = random.nextInt(4);
        final String[] items = new String[n];
        for (int i = 0; i < n; i++) {
            items[i] = random.nextInt(4) == 0 ? Fuzz.json(random, 3) : ITEMS[random.nextInt(ITEMS.length)];
        }
        return ndjson ? String.join("\n", items) : "[" + String.join(",", items) + "]";
    }

    private static void assertParsesOrRefuses(final byte[] body, final boolean ndjson) {
        final List<EventBatch.Item> items;
        try {
            items = EventBatch.parse(body, ndjson, MAX);
        } catch (final EventBatch.Malformed e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        } catch (final EventBatch.TooMany e) {
            assertThat(e.getMessage()).contains("more than " + MAX);
            return;
        }
        assertThat(items.size()).isLessThanOrEqualTo(MAX);
        for (int i = 0; i < items.size(); i++) {
            final EventBatch.Item item = items.get(i);
            assertThat(item.index()).isEqualTo(i);
            assertThat(item.json() == null).as("exactly one of json and error").isNotEqualTo(item.error() == null);
        }
    }

    @Test
    void mutatedBodiesParseOrAreRefused() {
        Fuzz.run(5_000, 4_000, random -> {
            final boolean ndjson = random.nextBoolean();
            final String body = Fuzz.mutate(random, body(random, ndjson));
            assertParsesOrRefuses(body.getBytes(StandardCharsets.UTF_8), ndjson);
        });
    }

    @Test
    void randomBytesParseOrAreRefused() {
        Fuzz.run(6_000, 2_000, random -> {
            final byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 0) {
                bytes[0] = '[';
            }
            assertParsesOrRefuses(bytes, random.nextBoolean());
        });
    }

    @Test
    void deepNestingAndManyLinesAreRefusedOrBounded() {
        Fuzz.run(7_000, 40, random -> {
            assertParsesOrRefuses(("[" + Fuzz.deep(random, 2_000 + random.nextInt(5_000)) + "]").getBytes(StandardCharsets.UTF_8), false);
            assertParsesOrRefuses(Fuzz.deep(random, 3_000).getBytes(StandardCharsets.UTF_8), true);
            assertParsesOrRefuses("{}\n".repeat(MAX + 1 + random.nextInt(50)).getBytes(StandardCharsets.UTF_8), true);
        });
    }
}
