package io.sitewire.streams.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.events.WorkerStatus;
import io.sitewire.streams.air.support.Episode;
import io.sitewire.streams.site.Evacuation;
import io.sitewire.streams.site.WorkerRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The site stores and the air/noise rules used two JSON serdes, one with Jackson's default (getter) visibility and nulls
 * written, one field-based without nulls; now one (field-based). Changelogs written by either must still decode.
 */
class JsonSerdeCompatibilityTest {

    /** The site stores' mapper before the merge: defaults, unknown fields ignored. */
    private static final ObjectMapper OLD_SITE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static <T> T decode(final Class<T> type, final byte[] bytes) {
        return new JsonSerde<>(type).deserializer().deserialize("changelog", bytes);
    }

    @Test
    void siteChangelogBytesWrittenBeforeTheMergeStillDecode() {
        // Given worker records as the old site serde wrote them (literal: nulls written as null)
        final String old = "{\"projectId\":\"p1\",\"workerId\":\"w1\",\"checkedIn\":true,\"status\":\"ACTIVE\","
                + "\"zone\":\"deck-1\",\"trade\":null,\"lat\":51.5,\"lng\":-0.12,\"positionTime\":1700000001000,"
                + "\"presenceTime\":1700000000000,\"lastSeen\":1700000001000,\"lastArrival\":1700000001005,"
                + "\"missingSince\":null}";
        // Then the merged serde reads the same record
        assertThat(decode(WorkerRecord.class, old.getBytes(StandardCharsets.UTF_8))).isEqualTo(new WorkerRecord("p1", "w1",
                true, WorkerStatus.ACTIVE, "deck-1", null, 51.5, -0.12, 1_700_000_001_000L, 1_700_000_000_000L,
                1_700_000_001_000L, 1_700_000_001_005L, null));
    }

    @Test
    void randomSiteRecordsWrittenByTheOldMapperDecodeEqual() throws Exception {
        final long seed = 20261126L;
        final Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            final WorkerRecord worker = new WorkerRecord("p" + random.nextInt(5), "w" + i, random.nextBoolean(),
                    WorkerStatus.values()[random.nextInt(WorkerStatus.values().length)], maybe(random, "zone-" + i),
                    maybe(random, "trade"), random.nextBoolean() ? random.nextDouble() * 90 : null,
                    random.nextBoolean() ? random.nextDouble() * 180 : null, random.nextLong(), random.nextLong(),
                    random.nextLong(), random.nextLong(), random.nextBoolean() ? random.nextLong() : null);
            final io.sitewire.streams.site.Episode episode = new io.sitewire.streams.site.Episode("p", "w" + i,
                    maybe(random, "crane"), random.nextLong(), Priority.values()[random.nextInt(Priority.values().length)],
                    random.nextBoolean());
            final Evacuation evacuation = new Evacuation("p", "e" + i, random.nextLong(), List.of("muster-" + i),
                    TargetScope.values()[random.nextInt(TargetScope.values().length)], maybe(random, "t"),
                    List.of("a" + i), random.nextBoolean() ? List.of() : List.of("w1", "w2"), List.of("w3"),
                    random.nextBoolean());
            assertThat(decode(WorkerRecord.class, OLD_SITE.writeValueAsBytes(worker))).as("seed %d, try %d", seed, i)
                    .isEqualTo(worker);
            assertThat(decode(io.sitewire.streams.site.Episode.class, OLD_SITE.writeValueAsBytes(episode)))
                    .as("seed %d, try %d", seed, i).isEqualTo(episode);
            assertThat(decode(Evacuation.class, OLD_SITE.writeValueAsBytes(evacuation))).as("seed %d, try %d", seed, i)
                    .isEqualTo(evacuation);
            // And what the merged serde writes now reads back the same
            final JsonSerde<WorkerRecord> serde = new JsonSerde<>(WorkerRecord.class);
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", worker))).isEqualTo(worker);
        }
    }

    @Test
    void airChangelogBytesWrittenBeforeTheMergeStillDecode() {
        // Given an air episode as the old field-based serde wrote it (literal: nulls left out)
        final String old = "{\"start\":1700000060000,\"priority\":\"EMERGENCY\",\"limit\":10.0,"
                + "\"limitSource\":\"29 CFR 1910.146\",\"zone\":\"tunnel\",\"inZone\":true}";
        final Episode episode = decode(Episode.class, old.getBytes(StandardCharsets.UTF_8));
        assertThat(episode.start).isEqualTo(1_700_000_060_000L);
        assertThat(episode.priority).isEqualTo(Priority.EMERGENCY);
        assertThat(episode.limit).isEqualTo(10.0);
        assertThat(episode.limitSource).isEqualTo("29 CFR 1910.146");
        assertThat(episode.zone).isEqualTo("tunnel");
        assertThat(episode.workerId).isNull();
        assertThat(episode.inZone).isTrue();
        // And the merged serde writes it in that same form
        assertThat(new String(new JsonSerde<>(Episode.class).serializer().serialize("t", episode), StandardCharsets.UTF_8))
                .isEqualTo(old);
    }

    private static String maybe(final Random random, final String value) {
        return random.nextBoolean() ? value : null;
    }
}
