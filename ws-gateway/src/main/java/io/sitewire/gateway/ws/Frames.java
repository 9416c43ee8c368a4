package io.sitewire.gateway.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sitewire.events.Priority;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.schemas.EventType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * The JSON text of every server frame. The op names and error codes here are the protocol's
 * (docs/protocol.md and docs/asyncapi.yaml list exactly these; a test checks it).
 */
public final class Frames {

    /** Server → client ops. */
    public static final String OP_SUBSCRIBED = "subscribed";
    public static final String OP_UNSUBSCRIBED = "unsubscribed";
    public static final String OP_EVENT = "event";
    public static final String OP_REPLAYED = "replayed";
    public static final String OP_GAP = "gap";
    public static final String OP_PRESENCE = "presence";
    public static final String OP_SNAPSHOT = "snapshot";
    public static final String OP_PONG = "pong";
    public static final String OP_ERROR = "error";
    public static final String OP_FLOW = "flow";
    public static final List<String> SERVER_OPS = List.of(OP_SUBSCRIBED, OP_UNSUBSCRIBED, OP_EVENT, OP_REPLAYED, OP_GAP,
            OP_PRESENCE, OP_SNAPSHOT, OP_PONG, OP_ERROR, OP_FLOW);

    /** Client → server ops. */
    public static final List<String> CLIENT_OPS = List.of("subscribe", "unsubscribe", "ping", OP_FLOW, "ack");

    /** Error codes. */
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String BAD_REQUEST = "bad_request";
    public static final String TOO_LARGE = "too_large";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String UNKNOWN_ROOM = "unknown_room";
    public static final String UNAVAILABLE = "unavailable";
    public static final List<String> ERROR_CODES = List.of(UNAUTHORIZED, FORBIDDEN, BAD_REQUEST, TOO_LARGE, RATE_LIMITED,
            UNKNOWN_ROOM, UNAVAILABLE);

    private static final JsonFactory FACTORY = new JsonFactory();

    private Frames() {
    }

    /** The unique, opaque position of a record: topic index, partition, offset. */
    public static String pos(final int topicIndex, final int partition, final long offset) {
        return topicIndex + "-" + partition + "-" + offset;
    }

    /** Everything of an event frame before its cursor value. */
    public static String eventPrefix(final String room, final Priority priority, final EventType type, final long eventTime,
                                     final String pos) {
        return "{\"op\":\"event\",\"room\":\"" + quote(room) + "\",\"priority\":\"" + priority.name()
                + "\",\"type\":\"" + type.jsonName() + "\",\"eventTime\":" + eventTime + ",\"pos\":\"" + quote(pos)
                + "\",\"cursor\":\"";
    }

    /** Everything of an event frame after its cursor value. */
    public static String eventSuffix(final String dataJson) {
        return "\",\"data\":" + dataJson + "}";
    }

    public static String subscribed(final String id, final Collection<Room> rooms, final String cursor) {
        return write(g -> {
            g.writeStringField("op", OP_SUBSCRIBED);
            g.writeStringField("id", id);
            rooms(g, rooms);
            g.writeStringField("cursor", cursor);
        });
    }

    public static String unsubscribed(final String id, final Collection<Room> rooms) {
        return write(g -> {
            g.writeStringField("op", OP_UNSUBSCRIBED);
            g.writeStringField("id", id);
            rooms(g, rooms);
        });
    }

    public static String replayed(final String id, final Collection<Room> rooms, final String cursor, final long replayedCount) {
        return write(g -> {
            g.writeStringField("op", OP_REPLAYED);
            g.writeStringField("id", id);
            rooms(g, rooms);
            g.writeStringField("cursor", cursor);
            g.writeNumberField("count", replayedCount);
        });
    }

    /** History of one partition is gone (retention): {@code lost} records between the two offsets. */
    public static String gap(final String id, final Room room, final String topic, final int partition, final long fromOffset,
                             final long toOffset) {
        return write(g -> {
            g.writeStringField("op", OP_GAP);
            g.writeStringField("id", id);
            g.writeStringField("room", room.name());
            g.writeStringField("topic", topic);
            g.writeNumberField("partition", partition);
            g.writeNumberField("lost", toOffset - fromOffset);
            g.writeNumberField("from", fromOffset);
            g.writeNumberField("to", toOffset);
            g.writeStringField("message", "history of " + topic + " partition " + partition + " from offset " + fromOffset
                    + " to " + toOffset + " is past retention: up to " + (toOffset - fromOffset)
                    + " records (of all rooms on that partition) are lost");
        });
    }

    /** A presence frame: kind snapshot, join or leave. */
    public static String presence(final Room room, final String kind, final Collection<PresenceClient> clients) {
        return presence(room, kind, clients, clients.size());
    }

    /** A presence frame with the room's total connection count (a snapshot lists at most 100 clients). */
    public static String presence(final Room room, final String kind, final Collection<PresenceClient> clients, final int count) {
        return presence(room, kind, presenceClients(clients), count);
    }

    /**
     * A presence frame whose client list is already JSON ({@link #presenceClients}): a room's snapshot list is the same
     * for every member who joins a full room, so the hub keeps it made.
     */
    public static String presence(final Room room, final String kind, final String clientsJson, final int count) {
        return write(g -> {
            g.writeStringField("op", OP_PRESENCE);
            g.writeStringField("room", room.name());
            g.writeStringField("kind", kind);
            g.writeNumberField("count", count);
            g.writeFieldName("clients");
            g.writeRawValue(clientsJson);
        });
    }

    /** The JSON array of a presence frame's clients. */
    public static String presenceClients(final Collection<PresenceClient> clients) {
        final StringWriter out = new StringWriter(64 + 100 * clients.size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (final PresenceClient c : clients) {
                g.writeStartObject();
                g.writeStringField("clientId", c.clientId());
                g.writeStringField("subject", c.subject());
                g.writeStringField("role", c.role());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String pong(final String id, final long serverTime) {
        return write(g -> {
            g.writeStringField("op", OP_PONG);
            g.writeStringField("id", id);
            g.writeNumberField("serverTime", serverTime);
        });
    }

    public static String flow(final String id, final int window) {
        return write(g -> {
            g.writeStringField("op", OP_FLOW);
            g.writeStringField("id", id);
            g.writeNumberField("window", window);
        });
    }

    public static String error(final String id, final String code, final String message) {
        return write(g -> {
            g.writeStringField("op", OP_ERROR);
            g.writeStringField("id", id);
            g.writeStringField("code", code);
            g.writeStringField("message", message);
        });
    }

    /** Writes a JSON object: the writer supplies the fields. */
    public static String write(final Fields fields) {
        final StringWriter out = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The fields of a frame. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static void rooms(final JsonGenerator g, final Collection<Room> rooms) throws IOException {
        g.writeArrayFieldStart("rooms");
        for (final Room room : rooms) {
            g.writeString(room.name());
        }
        g.writeEndArray();
    }

    private static String quote(final String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
