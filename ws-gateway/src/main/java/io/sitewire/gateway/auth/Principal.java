package io.sitewire.gateway.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is behind a verified token. Only {@link TokenVerifier} builds these from tokens; the sets are immutable.
 *
 * @param subject   the {@code sub} claim
 * @param projects  the project ids the holder belongs to; nothing of any other project is visible to them
 * @param roles     at least one role
 * @param trades    the worker's trades (may be empty)
 * @param workerId  the {@code workerId} claim, or the subject when the token has none
 * @param expiresAt when the token stops being valid: the gateway closes a connection whose token expired
 */
public record Principal(String subject, Set<String> projects, Set<Role> roles, Set<String> trades, String workerId,
        Instant expiresAt) {

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        projects = Set.copyOf(projects);
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        trades = Set.copyOf(trades);
    }

    public boolean has(final Role role) {
        return roles.contains(role);
    }

    /** Whether any of the given roles is held. */
    public boolean hasAny(final Role... any) {
        for (final Role role : any) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** A device token and nothing else: may post events, may join no room (the gateway closes it with 4003). */
    public boolean isDeviceOnly() {
        return roles.equals(Set.of(Role.DEVICE));
    }

    public boolean isMemberOf(final String projectId) {
        return projects.contains(projectId);
    }
}
