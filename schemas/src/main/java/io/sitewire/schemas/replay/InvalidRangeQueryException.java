package io.sitewire.schemas.replay;

import java.util.List;

/**
 * A range query that cannot run, with every problem found (not just the first), each naming the parameter it is
 * about. An HTTP endpoint answers it with 400 and {@link #problems()}; the CLI prints it with its usage.
 */
public final class InvalidRangeQueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidRangeQueryException(final List<String> problems) {
        super(problems.size() == 1 ? "invalid range query: " + problems.get(0)
                : "invalid range query:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidRangeQueryException(final String problem) {
        this(List.of(problem));
    }

    /** One line per problem, e.g. {@code from: '2026-13-01' is not an ISO-8601 instant or epoch milliseconds}. */
    public List<String> problems() {
        return problems;
    }
}
