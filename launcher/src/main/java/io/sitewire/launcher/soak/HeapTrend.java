package io.sitewire.launcher.soak;

import java.util.List;

/**
 * The least-squares slope of the site's heap after a full GC over the samples taken after the warm-up, in MB per
 * hour. A fit over many samples says whether the heap is still growing at the end of a run far more steadily than
 * the difference of two single readings, each of which carries whatever was in flight at that moment.
 */
final class HeapTrend {

    /** Fewer samples than this after the warm-up make a slope that says nothing: it is then not judged. */
    static final int MIN_SAMPLES = 5;

    private HeapTrend() {
    }

    /** MB per hour, or null when fewer than {@link #MIN_SAMPLES} samples after {@code fromMinute} have a heap. */
    static Double mbPerHour(final List<SoakReport.Sample> samples, final double fromMinute) {
        final List<SoakReport.Sample> used = samples.stream()
                .filter(s -> s.minute() >= fromMinute && s.heapAfterGcMb() != null).toList();
        if (used.size() < MIN_SAMPLES) {
            return null;
        }
        final double meanX = used.stream().mapToDouble(SoakReport.Sample::minute).average().orElseThrow();
        final double meanY = used.stream().mapToDouble(SoakReport.Sample::heapAfterGcMb).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (final SoakReport.Sample s : used) {
            sxy += (s.minute() - meanX) * (s.heapAfterGcMb() - meanY);
            sxx += (s.minute() - meanX) * (s.minute() - meanX);
        }
        return sxx == 0 ? null : sxy / sxx * 60;
    }
}
