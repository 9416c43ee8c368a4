package io.sitewire.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an ingest body into items: a JSON array, or NDJSON (one JSON object per line, blank lines skipped) when
 * the content type says so or the body does not start with '['. Items are numbered from 0 in body order; for NDJSON
 * the number counts non-blank lines. Parsing is strict: duplicate keys and trailing content are errors, so that no
 * two readers can see different events in the same bytes.
 */
final class EventBatch {

    /** One item: its JSON, or why its line was not JSON (NDJSON only). */
    record Item(int index, JsonNode json, String error) {
    }

    /** The body as a whole is unusable: not JSON, not an array. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(final String message) {
            super(message, null, false, false);
        }
    }

    /** More items than allowed. */
    static final class TooMany extends Exception {
        private static final long serialVersionUID = 1L;

        TooMany(final int limit) {
            super("more than " + limit + " events in one request", null, false, false);
        }
    }

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventBatch() {
    }

    static List<Item> parse(final byte[] body, final boolean ndjson, final int maxEvents) throws Malformed, TooMany {
        if (!ndjson && startsWithBracket(body)) {
            return array(body, maxEvents);
        }
        return lines(body, maxEvents);
    }

    private static List<Item> array(final byte[] body, final int maxEvents) throws Malformed, TooMany {
        final JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new Malformed("body is not valid JSON: " + describe(e));
        } catch (final IOException e) {
            throw new Malformed("body cannot be read: " + e.getMessage());
        }
        if (!root.isArray()) {
            throw new Malformed("body must be a JSON array of events or NDJSON");
        }
        if (root.size() > maxEvents) {
            throw new TooMany(maxEvents);
        }
        final List<Item> items = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            items.add(new Item(i, root.get(i), null));
        }
        return items;
    }

    private static List<Item> lines(final byte[] body, final int maxEvents) throws TooMany {
        final List<Item> items = new ArrayList<>();
        int start = 0;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            if (!blank(body, start, end)) {
                if (items.size() == maxEvents) {
                    throw new TooMany(maxEvents);
                }
                final int index = items.size();
                try {
                    items.add(new Item(index, MAPPER.readTree(body, start, end - start), null));
                } catch (final JsonProcessingException e) {
                    items.add(new Item(index, null, "line is not valid JSON: " + describe(e)));
                } catch (final IOException e) {
                    items.add(new Item(index, null, "line cannot be read: " + e.getMessage()));
                }
            }
            start = end + 1;
        }
        return items;
    }

    private static boolean startsWithBracket(final byte[] body) {
        for (final byte b : body) {
            if (!whitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }

    private static boolean blank(final byte[] body, final int start, final int end) {
        for (int i = start; i < end; i++) {
            if (!whitespace(body[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean whitespace(final byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Jackson's own message without the source excerpt, plus where: enough to fix the payload. */
    private static String describe(final JsonProcessingException e) {
        final String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        final String message = e.getOriginalMessage();
        return (message.length() > 200 ? message.substring(0, 200) + "..." : message) + where;
    }
}
