package io.sitewire.gateway.fanout;

import io.sitewire.events.Priority;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.rooms.Room;
import io.sitewire.gateway.routing.Lane;
import io.sitewire.gateway.ws.Frames;
import io.sitewire.schemas.EventType;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed record as the live tailer dispatched it: decoded once, its data encoded to JSON once, its
 * frame text built once per room, then the same String handed to every connection of that room.
 *
 * <p>{@code cursor} is the tailer's dispatch position right after this record (every streamed partition),
 * the same for every connection: a connection whose queue holds nothing older sends {@link #text} as is.
 */
public final class LiveEvent {

    private final long seq;
    private final int partitionIndex;
    private final long offset;
    private final Priority priority;
    private final EventType type;
    private final long eventTime;
    private final String pos;
    private final String cursor;
    private final String suffix;
    private final PartitionSpace space;
    private final List<Room> rooms = new ArrayList<>(4);
    private final List<String> prefixes = new ArrayList<>(4);
    private final List<String> texts = new ArrayList<>(4);
    private final List<byte[]> utf8 = new ArrayList<>(4);
    private volatile long[] positions;

    LiveEvent(final long seq, final int partitionIndex, final long offset, final Priority priority, final EventType type,
              final long eventTime, final String cursor, final String dataJson, final PartitionSpace space) {
        this.seq = seq;
        this.partitionIndex = partitionIndex;
        this.offset = offset;
        this.priority = priority;
        this.type = type;
        this.eventTime = eventTime;
        this.pos = Frames.pos(space.topicOf(partitionIndex).index(), space.partitionNumber(partitionIndex), offset);
        this.cursor = cursor;
        this.suffix = Frames.eventSuffix(dataJson);
        this.space = space;
    }

    public long seq() {
        return seq;
    }

    public int partitionIndex() {
        return partitionIndex;
    }

    public long offset() {
        return offset;
    }

    public Priority priority() {
        return priority;
    }

    public Lane lane() {
        return Lane.of(priority);
    }

    public String cursor() {
        return cursor;
    }

    public String pos() {
        return pos;
    }

    /** The shared frame text for a room (built on first use by the tailer thread, before any connection sees it). */
    public String text(final Room room) {
        return texts.get(slot(room));
    }

    /** The shared frame text for a room as UTF-8, encoded once for every connection that sends it unchanged. */
    public byte[] utf8(final Room room) {
        return utf8.get(slot(room));
    }

    /** The frame text for a room with another cursor (a connection whose queue holds older frames). */
    public String text(final Room room, final String otherCursor) {
        return prefixes.get(slot(room)) + otherCursor + suffix;
    }

    /** Called by the tailer thread for each room that has members, before the event is handed out. */
    void prepare(final Room room) {
        if (rooms.contains(room)) {
            return;
        }
        final String prefix = Frames.eventPrefix(room.name(), priority, type, eventTime, pos);
        rooms.add(room);
        prefixes.add(prefix);
        final String text = prefix + cursor + suffix;
        texts.add(text);
        utf8.add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The dispatch position vector after this record (decoded from the cursor on first need, then cached). */
    public long[] positions() {
        long[] p = positions;
        if (p == null) {
            p = space.decode(cursor);
            positions = p;
        }
        return p;
    }

    private int slot(final Room room) {
        // The hub hands out the very Room objects it prepared: compare identity first, it is the common case.
        for (int i = 0; i < rooms.size(); i++) {
            if (rooms.get(i) == room) {
                return i;
            }
        }
        final int i = rooms.indexOf(room);
        if (i < 0) {
            throw new IllegalStateException("event not prepared for " + room);
        }
        return i;
    }
}
