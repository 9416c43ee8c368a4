package io.sitewire.gateway.ws;

import io.sitewire.gateway.auth.AuthException;
import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.Role;
import io.sitewire.gateway.auth.RoomAuthorizer;
import io.sitewire.gateway.auth.TokenVerifier;
import io.sitewire.gateway.rooms.Room;
import java.util.Optional;

/** The stream's access control on top of the auth package: JWT verification and per-room authorisation. */
public final class PrincipalAccess implements StreamAccess {

    private final TokenVerifier verifier;
    private final RoomAuthorizer authorizer;

    public PrincipalAccess(final TokenVerifier verifier, final RoomAuthorizer authorizer) {
        this.verifier = verifier;
        this.authorizer = authorizer;
    }

    @Override
    public Identity authenticate(final String token) throws AccessDenied {
        if (token == null || token.isBlank()) {
            throw new AccessDenied(Frames.UNAUTHORIZED, "no token: send Authorization: Bearer <JWT> or the access_token query parameter");
        }
        final Principal principal;
        try {
            principal = verifier.verify(token);
        } catch (final AuthException e) {
            throw new AccessDenied(e.code(), e.getMessage());
        }
        if (principal.isDeviceOnly()) {
            throw new AccessDenied(Frames.FORBIDDEN, "device tokens post events to /v1/events; they cannot open the stream");
        }
        return new Identity(principal.subject(), role(principal), principal.expiresAt(), principal);
    }

    @Override
    public Optional<String> whyNot(final Identity identity, final Room room) {
        return authorizer.whyNot((Principal) identity.principal(), room);
    }

    /** The most senior role, shown in presence. */
    private static String role(final Principal p) {
        for (final Role r : new Role[] {Role.MANAGER, Role.SAFETY_OFFICER, Role.SUPERVISOR, Role.WORKER}) {
            if (p.has(r)) {
                return r.claim();
            }
        }
        return "";
    }
}
