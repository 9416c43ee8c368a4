package io.sitewire.gateway.ws;

/** A connected client as others in a room see it. */
public record PresenceClient(String clientId, String subject, String role) {
}
