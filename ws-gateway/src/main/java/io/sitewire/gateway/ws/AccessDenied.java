package io.sitewire.gateway.ws;

/** A token that does not open the stream: code "unauthorized" (close 4001) or "forbidden" (close 4003). */
public final class AccessDenied extends Exception {

    private final String code;

    public AccessDenied(final String code, final String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
