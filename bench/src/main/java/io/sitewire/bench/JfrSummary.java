package io.sitewire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The gateway's hot methods from its JFR recording: execution samples counted by top frame (self time) and by the
 * innermost {@code io.sitewire} frame of the stack (the time of that method and of the library code it calls).
 */
final class JfrSummary {

    private JfrSummary() {
    }

    static List<String> hotMethods(final Path jfr, final int top) throws IOException {
        if (jfr == null || !Files.exists(jfr)) {
            return List.of();
        }
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> sitewire = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                final RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                final RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                for (final RecordedFrame f : stack.getFrames()) {
                    if (f.getMethod().getType().getName().startsWith("io.sitewire")) {
                        sitewire.merge(name(f), 1, Integer::sum);
                        break;
                    }
                }
            }
        }
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%,d execution samples; top frames (self):", samples));
        add(lines, self, samples, top);
        lines.add("innermost io.sitewire frame (with the library code it calls):");
        add(lines, sitewire, samples, top);
        return lines;
    }

    private static void add(final List<String> lines, final Map<String, Integer> counts, final int samples, final int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> lines.add(String.format(Locale.ROOT, "  %5.1f %%  %s", 100.0 * en.getValue() / samples, en.getKey())));
    }

    private static String name(final RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
