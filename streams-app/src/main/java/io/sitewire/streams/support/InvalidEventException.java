package io.sitewire.streams.support;

import java.util.List;

/** A well-typed event that fails {@code EventValidation}; the processing handler dead-letters it and goes on. */
public final class InvalidEventException extends RuntimeException {

    private final List<String> problems;

    public InvalidEventException(final List<String> problems) {
        super("invalid event: " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
