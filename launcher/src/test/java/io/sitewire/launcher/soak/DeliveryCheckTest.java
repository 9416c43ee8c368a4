package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DeliveryCheckTest {

    /**
     * A truth with fixed offsets per partition, known up to a settable point; a compacted partition's log holds
     * what {@link #compact} left of it (all of it until then).
     */
    private static final class FixedTruth implements Truth {
        private final Map<String, long[]> offsets = new HashMap<>();
        private final Map<String, Set<Long>> inLog = new HashMap<>();
        private final List<String> lookUps = new ArrayList<>();
        private long known = Long.MAX_VALUE;
        private boolean logReadable = true;

        FixedTruth with(final String partition, final long... values) {
            offsets.put(partition, values);
            return this;
        }

        /** Marks a partition compacted; {@code kept} are the offsets its log still holds. */
        FixedTruth compact(final String partition, final long... kept) {
            inLog.put(partition, Arrays.stream(kept).boxed().collect(Collectors.toSet()));
            return this;
        }

        @Override
        public long offsetAt(final String partition, final int index) {
            return offsets.get(partition)[index];
        }

        @Override
        public boolean compacted(final String partition) {
            return inLog.containsKey(partition);
        }

        @Override
        public Set<Long> stillInLog(final String partition, final long from, final long to) {
            lookUps.add(partition + "@" + from + ".." + to);
            if (!logReadable) {
                return null;
            }
            return inLog.get(partition).stream().filter(o -> o >= from && o < to).collect(Collectors.toCollection(HashSet::new));
        }

        @Override
        public int indexOf(final String partition, final long offset) {
            final long[] values = offsets.get(partition);
            if (values == null) {
                return -1;
            }
            final int i = Arrays.binarySearch(values, offset);
            return i < 0 ? -1 : i;
        }

        @Override
        public long knownUpTo(final String partition) {
            return known;
        }
    }

    @Test
    void everyRecordOnceAndInOrderFromTheFirstFramePasses() {
        // Given a partition whose records skip offsets (transaction markers) and a client that joined at offset 4
        final DeliveryCheck check = new DeliveryCheck(new FixedTruth().with("13-0", 1, 2, 4, 5, 7, 9));

        // When it gets every record from there on
        List.of("13-0-4", "13-0-5", "13-0-7", "13-0-9").forEach(check::received);

        // Then nothing is missed, repeated or out of order
        assertThat(check.checked()).isEqualTo(4);
        assertThat(check.missed() + check.repeated() + check.reordered() + check.unknown()).isZero();
    }

    @Test
    void aSkippedRecordIsMissedARepeatIsRepeatedALateOneIsReordered() {
        final DeliveryCheck check = new DeliveryCheck(new FixedTruth().with("0-0", 10, 11, 12, 13, 14).with("13-2", 3, 4));

        // A gap of two (11, 12), then 13 again, then 12 arriving late, then a pos that was never written
        List.of("0-0-10", "0-0-13", "0-0-13", "0-0-12", "0-0-99", "13-2-3", "13-2-4").forEach(check::received);

        assertThat(check.missed()).as("11 never came").isEqualTo(1);
        assertThat(check.reordered()).as("12 came after 13").isEqualTo(1);
        assertThat(check.repeated()).as("13 twice").isEqualTo(1);
        assertThat(check.unknown()).as("offset 99 was never written").isEqualTo(1);
        assertThat(check.checked()).isEqualTo(7);
    }

    @Test
    void framesAheadOfTheTruthWaitUntilItKnowsThem() {
        final FixedTruth truth = new FixedTruth().with("5-0", 0, 1, 2);
        truth.known = 1;
        final DeliveryCheck check = new DeliveryCheck(truth);

        check.received("5-0-0");
        check.received("5-0-2");
        assertThat(check.checked()).isEqualTo(1);
        assertThat(check.pending()).isEqualTo(1);

        // Once the truth has read further, 2 is checked: 1 was skipped
        truth.known = 3;
        check.drainAll();
        assertThat(check.pending()).isZero();
        assertThat(check.missed()).isEqualTo(1);
    }

    @Test
    void randomDeliveriesAreCountedExactlySeeded() {
        // Seeded random runs: a stream with known drops, repeats and swaps must be counted exactly
        final long seed = 20261126L;
        final Random random = new Random(seed);
        for (int run = 0; run < 200; run++) {
            final int n = 50 + random.nextInt(500);
            final long[] offsets = new long[n];
            long o = random.nextInt(100);
            for (int i = 0; i < n; i++) {
                offsets[i] = o;
                o += 1 + (random.nextInt(10) == 0 ? 1 : 0); // now and then a marker
            }
            final List<Long> sent = new ArrayList<>();
            int drops = 0;
            int repeats = 0;
            int swaps = 0;
            sent.add(offsets[0]);
            for (int i = 1; i < n; i++) {
                final int roll = random.nextInt(100);
                if (roll < 3 && i < n - 1) {
                    drops++;
                } else if (roll < 6) {
                    sent.add(offsets[i]);
                    sent.add(offsets[i]);
                    repeats++;
                } else if (roll < 8 && i < n - 1) {
                    sent.add(offsets[i + 1]);
                    sent.add(offsets[i]);
                    swaps++;
                    i++;
                } else {
                    sent.add(offsets[i]);
                }
            }
            final DeliveryCheck check = new DeliveryCheck(new FixedTruth().with("1-0", offsets));
            sent.forEach(off -> check.received("1-0-" + off));
            assertThat(check.missed()).as("seed %d run %d", seed, run).isEqualTo(drops);
            assertThat(check.repeated()).as("seed %d run %d", seed, run).isEqualTo(repeats);
            assertThat(check.reordered()).as("seed %d run %d", seed, run).isEqualTo(swaps);
            assertThat(check.unknown()).isZero();
        }
    }

    @Test
    void recordsTheLogCleanerRemovedBeforeAResumeReadThemAreCompactedNotMissed() {
        // Given a compacted state partition (topic index 10) whose log, cleaned after its segment rolled, kept only the
        // latest record per key of offsets 100-109: 103 and 107 (plus the uncleaned 110-111)
        final FixedTruth truth = new FixedTruth()
                .with("10-4", LongStream.rangeClosed(100, 111).toArray())
                .compact("10-4", 103, 107, 110, 111);
        final DeliveryCheck check = new DeliveryCheck(truth);

        // When a client got 100 live, dropped, and resumed after the cleaning: its replay read 103, 107, then live 110, 111
        List.of("10-4-100", "10-4-103", "10-4-107", "10-4-110", "10-4-111").forEach(check::received);

        // Then the 7 records the log no longer holds are compacted, none missed, and the log was read between the frames
        assertThat(check.compacted()).isEqualTo(7);
        assertThat(check.missed() + check.reordered() + check.repeated() + check.unknown()).isZero();
        assertThat(truth.lookUps).containsExactly("10-4@101..103", "10-4@104..107", "10-4@108..110");
    }

    @Test
    void aSkippedRecordTheLogStillHoldsIsMissedEvenOnACompactedTopic() {
        // Given a compacted partition whose log still holds 21 (not cleaned) but no longer holds 22
        final FixedTruth truth = new FixedTruth().with("11-2", 20, 21, 22, 23).compact("11-2", 20, 21, 23);
        final DeliveryCheck check = new DeliveryCheck(truth);

        // When a client gets 20 and then 23
        List.of("11-2-20", "11-2-23").forEach(check::received);

        // Then 21 is missed (the gateway could have replayed it) and 22 is compacted
        assertThat(check.missed()).isEqualTo(1);
        assertThat(check.compacted()).isEqualTo(1);

        // And if 21 comes late after all, it is reordered, not lost
        check.received("11-2-21");
        assertThat(check.missed()).isZero();
        assertThat(check.reordered()).isEqualTo(1);
    }

    @Test
    void skipsOnTopicsThatAreNotCompactedOrWhoseLogCannotBeReadAreMissed() {
        // Given an alerts partition (not compacted) and a compacted one whose log cannot be read right now
        final FixedTruth truth = new FixedTruth().with("0-0", 1, 2, 3).with("12-0", 5, 6, 7).compact("12-0", 5, 7);
        truth.logReadable = false;
        final DeliveryCheck check = new DeliveryCheck(truth);

        // When a client skips one record in each
        List.of("0-0-1", "0-0-3", "12-0-5", "12-0-7").forEach(check::received);

        // Then both are missed: only a record known to be gone from the log is excused, and the alerts log is never read
        assertThat(check.missed()).isEqualTo(2);
        assertThat(check.compacted()).isZero();
        assertThat(truth.lookUps).containsExactly("12-0@6..7");
    }
}
