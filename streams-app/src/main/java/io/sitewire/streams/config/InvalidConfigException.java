package io.sitewire.streams.config;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} lists every bad key, each naming where its value came from. */
public final class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigException(final List<String> problems) {
        super("Invalid streams-app configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
