package io.sitewire.analyst;

import io.sitewire.schemas.replay.RangeSummary;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The end-of-run report on standard error: counts, pace, per-topic counts, files, notes. */
final class SummaryPrinter {

    private SummaryPrinter() {
    }

    static void print(final PrintStream err, final String verb, final RangeSummary s, final Map<String, Long> files) {
        err.printf(Locale.ROOT, "%s %,d of %,d records read in %.1f s (%,.0f records/s read, %,.0f/s written)%s%n",
                verb, s.matched(), s.read(), s.duration().toNanos() / 1e9, s.readPerSecond(), s.matchedPerSecond(),
                s.limitReached() ? "; stopped at --limit" : "");
        err.printf(Locale.ROOT, "  filtered out %,d, tombstones %,d, failed decodes %,d%n", s.filteredOut(),
                s.tombstones(), s.failedDecodes());
        if (!s.topics().isEmpty()) {
            final int width = s.topics().keySet().stream().mapToInt(String::length).max().orElse(10);
            err.println("  per topic:");
            s.topics().forEach((topic, c) -> err.printf(Locale.ROOT, "    %-" + width + "s  read %,10d  matched %,10d  failed %,6d%n",
                    topic, c.read(), c.matched(), c.failedDecodes()));
        }
        if (!files.isEmpty()) {
            final int width = files.keySet().stream().mapToInt(String::length).max().orElse(10);
            err.println("  written:");
            files.forEach((file, count) -> err.printf(Locale.ROOT, "    %-" + width + "s  %,d records%n", file, count));
        }
        for (final String note : s.notes()) {
            err.println("  note: " + note);
        }
        if (s.failedDecodes() > s.failures().size()) {
            err.printf(Locale.ROOT, "  %,d failed decodes in all; the first %d are listed in --summary-json%n",
                    s.failedDecodes(), s.failures().size());
        }
    }
}
