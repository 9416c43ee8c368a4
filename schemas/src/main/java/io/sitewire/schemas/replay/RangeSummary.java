package io.sitewire.schemas.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay read. Every record in the range is counted once, as matched, filtered out, a tombstone or a failed
 * decode: {@code read == matched + filteredOut + tombstones + failedDecodes}.
 *
 * @param query         the query, in its parameter form ({@link RangeQuery#describe()})
 * @param read          records read in the planned offsets, all topics
 * @param matched       records handed on (they matched the time range and every filter)
 * @param filteredOut   records decoded (or outside the time range) that did not match
 * @param tombstones    records with a null value (deletions in compacted topics), not handed on
 * @param failedDecodes records whose value could not be decoded; the first {@value #MAX_LISTED_FAILURES} are in
 *                      {@code failures}
 * @param topics        the same counts per topic, topics in the order they were planned
 * @param duration      how long the read took
 * @param limitReached  whether the read stopped at the query's {@code limit} rather than at the end of the range
 * @param failures      descriptions of the first failed decodes (topic, partition, offset, reason)
 * @param notes         what the plan left out or could not find (see {@link RangePlan#notes()})
 */
public record RangeSummary(String query, long read, long matched, long filteredOut, long tombstones,
        long failedDecodes, Map<String, TopicCounts> topics, Duration duration, boolean limitReached,
        List<String> failures, List<String> notes) {

    /** Failure descriptions kept in a summary; the count is always exact. */
    public static final int MAX_LISTED_FAILURES = 100;

    private static final JsonFactory JSON = new JsonFactory();

    public RangeSummary {
        topics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(topics));
        failures = List.copyOf(failures);
        notes = List.copyOf(notes);
    }

    /** Counts of one topic. */
    public record TopicCounts(long read, long matched, long filteredOut, long tombstones, long failedDecodes) {
    }

    /** Matched records per second of wall-clock time. */
    public double matchedPerSecond() {
        final double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : matched / seconds;
    }

    /** Records read per second of wall-clock time. */
    public double readPerSecond() {
        final double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : read / seconds;
    }

    /**
     * Writes {@code {"summary":{...}}}: the counts, {@code durationMs}, per-topic counts, failures and notes, and
     * {@code error} when the read was cut short ({@code error} null: it ran to the end of the range or the limit).
     */
    public void writeJson(final JsonGenerator out, final String error) throws IOException {
        out.writeStartObject();
        out.writeFieldName("summary");
        out.writeStartObject();
        out.writeStringField("query", query);
        out.writeNumberField("read", read);
        out.writeNumberField("matched", matched);
        out.writeNumberField("filteredOut", filteredOut);
        out.writeNumberField("tombstones", tombstones);
        out.writeNumberField("failedDecodes", failedDecodes);
        out.writeNumberField("durationMs", duration.toMillis());
        out.writeBooleanField("limitReached", limitReached);
        out.writeBooleanField("complete", error == null);
        if (error != null) {
            out.writeStringField("error", error);
        }
        out.writeObjectFieldStart("topics");
        for (final Map.Entry<String, TopicCounts> e : topics.entrySet()) {
            out.writeObjectFieldStart(e.getKey());
            out.writeNumberField("read", e.getValue().read());
            out.writeNumberField("matched", e.getValue().matched());
            out.writeNumberField("filteredOut", e.getValue().filteredOut());
            out.writeNumberField("tombstones", e.getValue().tombstones());
            out.writeNumberField("failedDecodes", e.getValue().failedDecodes());
            out.writeEndObject();
        }
        out.writeEndObject();
        out.writeArrayFieldStart("failures");
        for (final String failure : failures) {
            out.writeString(failure);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("notes");
        for (final String note : notes) {
            out.writeString(note);
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeEndObject();
    }

    /** The {@link #writeJson} form as a string. */
    public String toJson(final String error) {
        final StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writeJson(out, error);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
