package io.sitewire.simulator;

import java.util.PriorityQueue;

/**
 * The discrete-event schedule of the model: actions run in (time, insertion) order, so the sequence of events is the
 * same however the caller slices time into steps.
 */
final class Agenda {

    /** Something that happens at a sim time. */
    @FunctionalInterface
    interface Action {
        void run(long now);
    }

    private record Entry(long time, long seq, Action action) implements Comparable<Entry> {
        @Override
        public int compareTo(final Entry o) {
            final int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long seq;

    void at(final long time, final Action action) {
        queue.add(new Entry(time, seq++, action));
    }

    /** Time of the next action, or Long.MAX_VALUE when nothing is scheduled. */
    long nextTime() {
        final Entry head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.time;
    }

    /** Runs the next action; returns its time. */
    long runNext() {
        final Entry e = queue.poll();
        e.action.run(e.time);
        return e.time;
    }

    int size() {
        return queue.size();
    }
}
