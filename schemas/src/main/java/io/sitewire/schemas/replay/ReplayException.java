package io.sitewire.schemas.replay;

/** A replay that cannot start (a topic missing from the cluster) or cannot go on. */
public class ReplayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplayException(final String message) {
        super(message);
    }

    public ReplayException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
