package io.sitewire.gateway.config;

import java.util.List;

/** Every problem found in the configuration, reported at once at start. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(final List<String> problems) {
        super("invalid gateway configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
