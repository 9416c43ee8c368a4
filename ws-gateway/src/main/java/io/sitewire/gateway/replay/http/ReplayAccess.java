package io.sitewire.gateway.replay.http;

import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.Role;
import io.sitewire.schemas.replay.RangeQuery;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may read history over {@code GET /v1/replay}: managers and safety officers (the roles that investigate
 * incidents and see the management room), of the projects their token names, and only with a project filter.
 *
 * <p>A query without {@code project} is refused rather than widened to the token's projects: the answer then always
 * says exactly what was asked, and a token that gains a project later cannot silently change what an old script
 * downloads. Workers, supervisors and devices are refused: a worker's history is other workers' positions too.
 */
public final class ReplayAccess {

    /** The roles that may replay. */
    public static final Set<Role> ROLES = Set.copyOf(EnumSet.of(Role.MANAGER, Role.SAFETY_OFFICER));

    private ReplayAccess() {
    }

    /** Why this principal may not run a replay at all, or empty. */
    public static Optional<String> whyNot(final Principal principal) {
        for (final Role role : ROLES) {
            if (principal.has(role)) {
                return Optional.empty();
            }
        }
        return Optional.of("replaying history needs the role manager or safety_officer");
    }

    /** Why this principal may not run this query, or empty. */
    public static Optional<String> whyNot(final Principal principal, final RangeQuery query) {
        final Optional<String> role = whyNot(principal);
        if (role.isPresent()) {
            return role;
        }
        if (query.projects().isEmpty()) {
            return Optional.of("name the project(s) to replay with project=...: a replay is limited to projects "
                    + "the token belongs to");
        }
        final Set<String> foreign = new TreeSet<>(query.projects());
        foreign.removeAll(principal.projects());
        if (!foreign.isEmpty()) {
            return Optional.of("not a member of project " + String.join(", ", foreign));
        }
        return Optional.empty();
    }
}
