package io.sitewire.schemas.replay;

/**
 * A replay stopped before the end of its range: a record that could not be decoded while failing on errors, the
 * schema registry unreachable (every record would fail: an outage, not bad data), or no progress for too long.
 * The records before it were handed on; {@link #summary()} counts them.
 */
public final class ReplayAbortedException extends ReplayException {

    private static final long serialVersionUID = 1L;

    private final transient RangeSummary summary;

    public ReplayAbortedException(final String message, final RangeSummary summary, final Throwable cause) {
        super(message, cause);
        this.summary = summary;
    }

    /** What was read up to the stop. */
    public RangeSummary summary() {
        return summary;
    }
}
