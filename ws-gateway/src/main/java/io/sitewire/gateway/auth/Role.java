package io.sitewire.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a token holder is on site; the {@code roles} claim carries the lower-case {@link #claim()} values. */
public enum Role {
    WORKER, SUPERVISOR, SAFETY_OFFICER, MANAGER,
    /** An IoT gateway or sensor hub: may post events, may not subscribe to anything. */
    DEVICE;

    private final String claim = name().toLowerCase(Locale.ROOT);

    /** The claim value, e.g. {@code safety_officer}. */
    public String claim() {
        return claim;
    }

    /** The role with this exact claim value (case-sensitive, as issuers must be consistent). */
    public static Optional<Role> fromClaim(final String value) {
        for (final Role role : values()) {
            if (role.claim.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** "worker, supervisor, safety_officer, manager, device", for error messages. */
    public static String knownClaims() {
        return Arrays.stream(values()).map(Role::claim).collect(Collectors.joining(", "));
    }
}
