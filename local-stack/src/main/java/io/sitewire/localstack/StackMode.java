package io.sitewire.localstack;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which stack {@link LocalStackExtension} provides, chosen by SITEWIRE_STACK. */
enum StackMode {
    EMBEDDED, EXTERNAL, TESTCONTAINERS;

    static final String SETTING = "SITEWIRE_STACK";

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StackMode parse(final String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        return Arrays.stream(values())
                .filter(mode -> mode.key().equals(value.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(SETTING + "=" + value + " is not a stack mode; use one of "
                        + Arrays.stream(values()).map(StackMode::key).collect(Collectors.joining(", "))));
    }
}
