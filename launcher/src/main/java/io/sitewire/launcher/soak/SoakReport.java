package io.sitewire.launcher.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a soak measured and its verdict, written as JSON (for tools) and Markdown (for people).
 *
 * <p>Verdict: delivery holds when no client missed, reordered or got an unknown frame; connections hold when the
 * gateway counts as many connections as clients are connected at the end, and none once they left; heap holds when
 * the site's heap after a full GC grew by at most {@value #HEAP_GROWTH_ALLOWED_MB} MB or
 * {@value #HEAP_GROWTH_ALLOWED_PERCENT} % (whichever is larger) from the end of the warm-up to the end of the soak,
 * and its trend over the samples after the warm-up is at most {@value #HEAP_TREND_ALLOWED_MB_PER_HOUR} MB per hour.
 * The warm-up is left out because a new site fills bounded state first (the broker's request-latency reservoirs,
 * the streams app's stores, the gateway's tables); what must stay flat is the heap once they are full.
 */
record SoakReport(Settings settings, String startedAt, double minutes, Heap heap,
                  Integer threadsStart, Integer threadsEnd, int clientsConnectedAtEnd, Integer gatewayConnectionsAtEnd,
                  Integer gatewayConnectionsAfterClientsLeft, long truthRecords, Totals totals, List<Sample> samples,
                  List<SoakClient.Stats> clients, List<String> siteStop, Verdict verdict) {

    static final double HEAP_GROWTH_ALLOWED_MB = 32;
    static final double HEAP_GROWTH_ALLOWED_PERCENT = 10;
    static final double HEAP_TREND_ALLOWED_MB_PER_HOUR = 32;

    /** {@code window}: the clients' flow-control window in frames, 0 for none. */
    record Settings(String duration, int clients, String meanChurn, int workers, String room, String sampleEvery,
                    String warmUp, int window) {
    }

    /** One minute's look at the site and the clients; the heap before and right after a full GC. */
    record Sample(double minute, Integer gatewayConnections, int clientsConnected, Double heapUsedMb, Double heapAfterGcMb,
                  Integer threads, long frames, long connects, long missed, long repeated, long reordered) {
    }

    /**
     * The site's heap after a full GC (MB): once all clients were in, at the end of the warm-up (the baseline), at the
     * end; and its trend after the warm-up (MB per hour, null when too few samples).
     */
    record Heap(Double startMb, double warmUpMinutes, Double baselineMb, Double endMb, Double trendMbPerHour) {

        static Heap of(final Double startMb, final double warmUpMinutes, final List<Sample> samples, final Double endMb) {
            final Double baseline = samples.stream().filter(s -> s.minute() >= warmUpMinutes && s.heapAfterGcMb() != null)
                    .map(Sample::heapAfterGcMb).findFirst().orElse(null);
            return new Heap(startMb, warmUpMinutes, baseline, endMb, HeapTrend.mbPerHour(samples, warmUpMinutes));
        }

        double allowedGrowthMb() {
            return Math.max(HEAP_GROWTH_ALLOWED_MB, baselineMb * HEAP_GROWTH_ALLOWED_PERCENT / 100);
        }

        /** Null when the baseline or the end could not be read. */
        Boolean growthOk() {
            return baselineMb == null || endMb == null ? null : endMb - baselineMb <= allowedGrowthMb();
        }

        /** Null when there were too few samples after the warm-up for a trend. */
        Boolean trendOk() {
            return trendMbPerHour == null ? null : trendMbPerHour <= HEAP_TREND_ALLOWED_MB_PER_HOUR;
        }
    }

    record Totals(long frames, long checked, long connects, long churns, long serverCloses, long errors, long missed,
                  long repeated, long reordered, long unknown, long pending, long compacted) {

        static Totals of(final List<SoakClient.Stats> clients) {
            long frames = 0, checked = 0, connects = 0, churns = 0, serverCloses = 0, errors = 0, missed = 0, repeated = 0,
                    reordered = 0, unknown = 0, pending = 0, compacted = 0;
            for (final SoakClient.Stats c : clients) {
                frames += c.frames();
                checked += c.checked();
                connects += c.connects();
                churns += c.churns();
                serverCloses += c.serverCloses();
                errors += c.errors();
                missed += c.missed();
                repeated += c.repeated();
                reordered += c.reordered();
                unknown += c.unknown();
                pending += c.pending();
                compacted += c.compacted();
            }
            return new Totals(frames, checked, connects, churns, serverCloses, errors, missed, repeated, reordered, unknown, pending,
                    compacted);
        }
    }

    record Verdict(boolean delivery, Boolean connections, Boolean heap, boolean passed, List<String> notes) {

        static Verdict of(final Totals totals, final int clientsConnectedAtEnd, final Integer gatewayAtEnd,
                          final Integer gatewayAfterLeft, final Heap heap) {
            final List<String> notes = new ArrayList<>();
            final boolean delivery = totals.missed() == 0 && totals.reordered() == 0 && totals.unknown() == 0
                    && totals.checked() > 0;
            if (totals.checked() == 0) {
                notes.add("no event frame was checked: nothing flowed");
            }
            if (totals.repeated() > 0) {
                notes.add(totals.repeated() + " frame(s) came twice (same pos) after a resume; the protocol allows such repeats"
                        + " when a replay was in progress at the drop, and clients drop them by (room, pos)");
            }
            if (totals.compacted() > 0) {
                notes.add(totals.compacted() + " record(s) of compacted state topics never came because the log cleaner had removed"
                        + " them (a later record has their key) before a resume's replay read them; not counted as missed");
            }
            final Boolean connections = gatewayAtEnd == null || gatewayAfterLeft == null ? null
                    : gatewayAtEnd == clientsConnectedAtEnd && gatewayAfterLeft == 0;
            if (connections == null) {
                notes.add("the gateway's /metrics could not be read: connections not judged");
            }
            final Boolean heapOk = judgeHeap(heap, notes);
            final boolean passed = delivery && !Boolean.FALSE.equals(connections) && !Boolean.FALSE.equals(heapOk);
            return new Verdict(delivery, connections, heapOk, passed, notes);
        }

        private static Boolean judgeHeap(final Heap heap, final List<String> notes) {
            final Boolean growth = heap.growthOk();
            if (growth == null) {
                notes.add("the site's heap could not be read (attach refused?): heap not judged");
                return null;
            }
            if (!growth) {
                notes.add(String.format(Locale.ROOT, "heap after GC grew by %.1f MB after the warm-up (allowed %.1f MB)",
                        heap.endMb() - heap.baselineMb(), heap.allowedGrowthMb()));
            }
            final Boolean trend = heap.trendOk();
            if (trend == null) {
                notes.add("fewer than " + HeapTrend.MIN_SAMPLES + " samples after the warm-up: the heap's trend is not judged"
                        + " (a longer run or a shorter --sample-every judges it)");
            } else if (!trend) {
                notes.add(String.format(Locale.ROOT, "heap after GC still grows by %.1f MB/h after the warm-up (allowed %.0f MB/h)",
                        heap.trendMbPerHour(), HEAP_TREND_ALLOWED_MB_PER_HOUR));
            }
            return growth && !Boolean.FALSE.equals(trend);
        }
    }

    void write(final Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("soak.json").toFile(), this);
        Files.writeString(dir.resolve("soak.md"), markdown(), StandardCharsets.UTF_8);
    }

    String markdown() {
        final StringBuilder md = new StringBuilder();
        md.append("# Soak ").append(startedAt).append("\n\n");
        md.append(String.format(Locale.ROOT, "%.1f min, %d clients on `%s` (a disconnect every %s on average, each; %s), "
                        + "simulator with %d workers; heap baseline after a %s warm-up.%n%n", minutes, settings.clients(),
                settings.room(), settings.meanChurn(),
                settings.window() > 0 ? "flow-control window " + settings.window() + " frames" : "no flow-control window",
                settings.workers(), settings.warmUp()));
        md.append("**Verdict: ").append(verdict.passed() ? "PASS" : "FAIL").append("**\n\n");
        md.append("| check | start | end | result |\n|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| site heap after full GC (MB): after the warm-up (at the start %s) | %s | %s | %s |%n",
                num(heap.startMb()), num(heap.baselineMb()), num(heap.endMb()), judged(heap.growthOk())));
        md.append(String.format(Locale.ROOT, "| site heap trend after the warm-up (MB/h) | | %s | %s |%n",
                num(heap.trendMbPerHour()), judged(heap.trendOk())));
        md.append(String.format(Locale.ROOT, "| site threads | %s | %s | |%n", threadsStart, threadsEnd));
        md.append(String.format(Locale.ROOT, "| gateway connections (clients connected) | %d | %s (%d); %s after the clients left | %s |%n",
                settings.clients(), gatewayConnectionsAtEnd, clientsConnectedAtEnd, gatewayConnectionsAfterClientsLeft,
                judged(verdict.connections())));
        md.append(String.format(Locale.ROOT, "| frames checked / missed / reordered / unknown / repeated | | %d / %d / %d / %d / %d | %s |%n",
                totals.checked(), totals.missed(), totals.reordered(), totals.unknown(), totals.repeated(),
                judged(verdict.delivery())));
        md.append(String.format(Locale.ROOT, "| connects / churn disconnects / server closes / errors | | %d / %d / %d / %d | |%n%n",
                totals.connects(), totals.churns(), totals.serverCloses(), totals.errors()));
        verdict.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        md.append("\n## Every sample\n\n| min | gateway connections | clients connected | site heap used (MB) | after full GC (MB) | site threads | frames | connects | missed | repeated | reordered |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.1f | %s | %d | %s | %s | %s | %d | %d | %d | %d | %d |%n", s.minute(),
                    s.gatewayConnections(), s.clientsConnected(), num(s.heapUsedMb()), num(s.heapAfterGcMb()), s.threads(),
                    s.frames(), s.connects(), s.missed(), s.repeated(), s.reordered()));
        }
        if (!siteStop.isEmpty()) {
            md.append("\n## The site's stop\n\n```\n").append(String.join("\n", siteStop)).append("\n```\n");
        }
        return md.toString();
    }

    private static String num(final Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String judged(final Boolean ok) {
        return ok == null ? "not judged" : ok ? "flat / ok" : "FAIL";
    }
}
