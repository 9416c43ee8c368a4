package io.sitewire.gateway.it;

import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.ws.AccessDenied;
import io.sitewire.gateway.ws.Identity;
import io.sitewire.gateway.ws.StreamAccess;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in token scheme for tests of the stream itself: "subject|role|project,project|expiresAtEpochMs".
 * (The real verifier and authoriser of the auth package are tested in the auth matrix.)
 */
public final class TestAccess implements StreamAccess {

    public static String token(final String subject, final String role, final String projects, final long expiresAt) {
        return subject + "|" + role + "|" + projects + "|" + expiresAt;
    }

    public static String token(final String subject, final String project) {
        return token(subject, "manager", project, System.currentTimeMillis() + 3_600_000L);
    }

    @Override
    public Identity authenticate(final String token) throws AccessDenied {
        if (token == null) {
            throw new AccessDenied("unauthorized", "no token");
        }
        final String[] parts = token.split("\\|");
        if (parts.length != 4) {
            throw new AccessDenied("unauthorized", "malformed token");
        }
        final Instant expires = Instant.ofEpochMilli(Long.parseLong(parts[3]));
        if (expires.isBefore(Instant.now())) {
            throw new AccessDenied("unauthorized", "token expired");
        }
        if (parts[1].equals("device")) {
            throw new AccessDenied("forbidden", "device tokens may not open the stream");
        }
        return new Identity(parts[0], parts[1], expires, Set.of(parts[2].split(",")));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<String> whyNot(final Identity identity, final Room room) {
        final Set<String> projects = (Set<String>) identity.principal();
        return projects.contains(room.projectId()) ? Optional.empty() : Optional.of("not a member of project " + room.projectId());
    }
}
