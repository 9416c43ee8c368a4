package io.sitewire.gateway.ws;

import io.sitewire.gateway.rooms.Room;
import java.util.Optional;

/** The stream's view of authentication and room authorisation (token verification lives in the auth package). */
public interface StreamAccess {

    /** Verifies a token (may be null when none was sent); throws with code unauthorized or forbidden. */
    Identity authenticate(String token) throws AccessDenied;

    /** Why this identity may not join the room, or empty if it may. */
    Optional<String> whyNot(Identity identity, Room room);
}
