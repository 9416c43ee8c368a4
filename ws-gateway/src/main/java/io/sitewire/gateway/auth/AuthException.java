package io.sitewire.gateway.auth;

import java.util.Objects;

/**
 * A request is refused. {@link #code()} is {@code unauthorized} (no usable token: HTTP 401, close 4001) or
 * {@code forbidden} (a good token without the right: HTTP 403, close 4003). The message is safe to send to the
 * client and to log: it never contains the token.
 */
public final class AuthException extends Exception {

    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";

    private static final long serialVersionUID = 1L;

    private final String code;

    private AuthException(final String code, final String message) {
        super(message, null, false, false); // no stack trace: these are expected, and attackers can cause many
        this.code = Objects.requireNonNull(code, "code");
    }

    public static AuthException unauthorized(final String message) {
        return new AuthException(UNAUTHORIZED, message);
    }

    public static AuthException forbidden(final String message) {
        return new AuthException(FORBIDDEN, message);
    }

    /** {@code unauthorized} or {@code forbidden}, the protocol's error code. */
    public String code() {
        return code;
    }

    public boolean isUnauthorized() {
        return UNAUTHORIZED.equals(code);
    }
}
