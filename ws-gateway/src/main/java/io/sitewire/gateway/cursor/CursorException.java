package io.sitewire.gateway.cursor;

/** A cursor string that is not one this gateway wrote (garbage, truncated, altered). Answered with bad_request. */
public final class CursorException extends RuntimeException {

    public CursorException(final String message) {
        super(message);
    }
}
