package io.sitewire.launcher.soak;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks one client's event frames of one room against what was written: per partition, from the first frame the
 * client got, every later record exactly once and in order, across all its reconnects. A frame is checked once the
 * truth knows its offset (the truth's consumer may trail the gateway). Not thread-safe: one client's frames arrive
 * one at a time.
 *
 * <p>Records skipped on a compacted topic are looked up in the log when the skip is seen: those the log cleaner has
 * removed meanwhile (a later record has their key) could not be replayed to a client that resumed from before them;
 * they are counted as compacted, not missed. Those still in the log are missed.
 */
final class DeliveryCheck {

    /** Missed offsets remembered per partition, to tell a late (reordered) frame from a repeat. */
    private static final int REMEMBERED_MISSES = 10_000;

    private final Truth truth;
    private final Map<String, PartitionState> partitions = new HashMap<>();
    private long checked;
    private long missed;
    private long repeated;
    private long reordered;
    private long unknown;
    private long compacted;

    DeliveryCheck(final Truth truth) {
        this.truth = truth;
    }

    /** A frame's {@code pos} ({@code topicIndex-partition-offset}). */
    void received(final String pos) {
        final int cut = pos.lastIndexOf('-');
        final String partition = pos.substring(0, cut);
        final long offset = Long.parseLong(pos.substring(cut + 1));
        partitions.computeIfAbsent(partition, p -> new PartitionState()).pending.add(offset);
        drain(partition);
    }

    /** Checks whatever the truth has caught up with. */
    void drainAll() {
        partitions.keySet().forEach(this::drain);
    }

    private void drain(final String partition) {
        final PartitionState state = partitions.get(partition);
        final long known = truth.knownUpTo(partition);
        while (!state.pending.isEmpty() && state.pending.peek() < known) {
            final long offset = state.pending.poll();
            final int index = truth.indexOf(partition, offset);
            checked++;
            if (index < 0) {
                unknown++;
            } else if (state.next < 0 || index == state.next) {
                state.next = index + 1;
            } else if (index > state.next) {
                skipped(partition, state, index);
                state.next = index + 1;
            } else if (state.missedIndexes.remove(index)) {
                // It was counted missing when a later one came first: not lost, but out of order.
                missed--;
                reordered++;
            } else {
                repeated++;
            }
        }
    }

    /** Records [state.next, index) never came: missed, unless the log cleaner removed them before a replay could read them. */
    private void skipped(final String partition, final PartitionState state, final int index) {
        final Set<Long> inLog = truth.compacted(partition)
                ? truth.stillInLog(partition, truth.offsetAt(partition, state.next), truth.offsetAt(partition, index))
                : null;
        for (int i = state.next; i < index; i++) {
            if (inLog != null && !inLog.contains(truth.offsetAt(partition, i))) {
                compacted++;
                continue;
            }
            missed++;
            if (state.missedIndexes.size() < REMEMBERED_MISSES) {
                state.missedIndexes.add(i);
            }
        }
    }

    long checked() {
        return checked;
    }

    /** Records of the room the client never got between its first and its last frame. */
    long missed() {
        return missed;
    }

    /** Frames that came again (same pos). */
    long repeated() {
        return repeated;
    }

    /** Frames that came after a later frame of their partition. */
    long reordered() {
        return reordered;
    }

    /** Records of a compacted topic the client never got because the log cleaner had removed them (not a loss). */
    long compacted() {
        return compacted;
    }

    /** Frames whose pos is no record the truth knows. */
    long unknown() {
        return unknown;
    }

    /** Frames still waiting for the truth to catch up. */
    long pending() {
        return partitions.values().stream().mapToLong(p -> p.pending.size()).sum();
    }

    private static final class PartitionState {
        private final ArrayDeque<Long> pending = new ArrayDeque<>();
        private final Set<Integer> missedIndexes = new HashSet<>();
        private int next = -1;
    }
}
