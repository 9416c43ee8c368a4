package io.sitewire.gateway.ws;

import java.time.Instant;

/**
 * Who a connection is, as far as the stream needs to know: the token subject, a role name for presence,
 * when the token expires, and the verifier's own principal object (for room checks).
 */
public record Identity(String subject, String role, Instant expiresAt, Object principal) {
}
