package io.sitewire.analyst;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Alerts counted by type, priority and state: the what-if run's result, side by side with the live alerts. */
final class AlertTally implements Consumer<ReplayedRecord> {

    /** A row of the table. */
    record Row(AlertType type, Priority priority) {
    }

    private static final Comparator<Row> ORDER = Comparator.comparing(Row::priority).thenComparing(Row::type);

    private final Map<Row, long[]> counts = new TreeMap<>(ORDER); // raised, cleared

    @Override
    public void accept(final ReplayedRecord record) {
        if (record.value() instanceof Alert alert) {
            counts.computeIfAbsent(new Row(alert.getType(), alert.getPriority()), r -> new long[2])
                    [alert.getState() == AlertState.RAISED ? 0 : 1]++;
        }
    }

    long raised(final AlertType type, final Priority priority) {
        final long[] c = counts.get(new Row(type, priority));
        return c == null ? 0 : c[0];
    }

    long cleared(final AlertType type, final Priority priority) {
        final long[] c = counts.get(new Row(type, priority));
        return c == null ? 0 : c[1];
    }

    long total() {
        return counts.values().stream().mapToLong(c -> c[0] + c[1]).sum();
    }

    /** The table of the what-if alerts, with the live ones of the same range beside them (null: not compared). */
    static void print(final PrintStream out, final AlertTally whatIf, final AlertTally live) {
        final Map<Row, long[]> rows = new TreeMap<>(ORDER);
        whatIf.counts.keySet().forEach(r -> rows.put(r, null));
        if (live != null) {
            live.counts.keySet().forEach(r -> rows.put(r, null));
        }
        out.printf(Locale.ROOT, "  %-9s  %-16s  %15s%s%n", "priority", "type", "what-if raised/cleared",
                live == null ? "" : "   live raised/cleared");
        if (rows.isEmpty()) {
            out.println("  (no alerts)");
        }
        for (final Row row : rows.keySet()) {
            out.printf(Locale.ROOT, "  %-9s  %-16s  %,10d / %,-10d%s%n", row.priority(), row.type(),
                    whatIf.raised(row.type(), row.priority()), whatIf.cleared(row.type(), row.priority()),
                    live == null ? "" : String.format(Locale.ROOT, "   %,7d / %,-7d", live.raised(row.type(), row.priority()),
                            live.cleared(row.type(), row.priority())));
        }
    }
}
