package io.sitewire.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * The clients still lacking some of a fixed set of due sequence numbers. A client leaves the set once it has them
 * all (what it has seen only grows), so each poll checks only the clients still behind, without a copy per client.
 */
final class Pending {

    private final List<BenchClient> left;
    private final BitSet due;
    private final BitSet scratch = new BitSet();

    Pending(final Collection<BenchClient> clients, final BitSet due) {
        this.left = new ArrayList<>(clients);
        this.due = (BitSet) due.clone();
    }

    /** Whether every client has every due sequence number now. */
    synchronized boolean done() {
        left.removeIf(c -> c.hasAll(due, scratch));
        return left.isEmpty();
    }

    /** Clients still behind at the last check. */
    synchronized int size() {
        return left.size();
    }
}
