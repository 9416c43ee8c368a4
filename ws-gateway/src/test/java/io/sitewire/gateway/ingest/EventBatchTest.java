package io.sitewire.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatchTest {

    private static List<EventBatch.Item> parse(final String body, final boolean ndjson, final int max) throws Exception {
        return EventBatch.parse(body.getBytes(StandardCharsets.UTF_8), ndjson, max);
    }

    @Test
    void aJsonArrayGivesOneItemPerElement() throws Exception {
        final List<EventBatch.Item> items = parse("  [{\"a\":1}, {\"b\":2}, 3]", false, 10);
        assertThat(items).extracting(EventBatch.Item::index).containsExactly(0, 1, 2);
        assertThat(items.get(1).json().get("b").intValue()).isEqualTo(2);
        assertThat(items.get(2).json().isInt()).isTrue(); // not an object: the handler reports it per item
    }

    @Test
    void ndjsonSkipsBlankLinesAndAcceptsCrlf() throws Exception {
        final List<EventBatch.Item> items = parse("{\"a\":1}\r\n\n   \n{\"b\":2}", true, 10);
        assertThat(items).hasSize(2);
        assertThat(items.get(1).index()).isEqualTo(1);
        assertThat(items.get(1).json().get("b").intValue()).isEqualTo(2);
    }

    @Test
    void aBodyNotStartingWithABracketIsNdjsonWhateverTheContentType() throws Exception {
        assertThat(parse("{\"a\":1}\n{\"a\":2}\n", false, 10)).hasSize(2);
    }

    @Test
    void aBadNdjsonLineIsAnItemErrorAndTheOthersStillParse() throws Exception {
        final List<EventBatch.Item> items = parse("{\"a\":1}\n{\"a\":\n{\"a\":1} {\"b\":2}\n{\"a\":1,\"a\":2}", true, 10);
        assertThat(items).hasSize(4);
        assertThat(items.get(0).error()).isNull();
        assertThat(items.get(1).error()).startsWith("line is not valid JSON");
        assertThat(items.get(2).error()).as("trailing content").startsWith("line is not valid JSON");
        assertThat(items.get(3).error()).as("duplicate key").contains("Duplicate field 'a'");
    }

    @Test
    void aBrokenOrNonArrayBodyIsMalformed() {
        assertThatThrownBy(() -> parse("[{\"a\":1},", false, 10)).isInstanceOf(EventBatch.Malformed.class)
                .hasMessageStartingWith("body is not valid JSON");
        assertThatThrownBy(() -> parse("[{\"a\":1}] []", false, 10)).isInstanceOf(EventBatch.Malformed.class);
        assertThatThrownBy(() -> parse("[{\"a\":1,\"a\":2}]", false, 10)).isInstanceOf(EventBatch.Malformed.class)
                .hasMessageContaining("Duplicate field");
    }

    @Test
    void moreItemsThanAllowedIsTooMany() throws Exception {
        assertThat(parse("[1,2,3]", false, 3)).hasSize(3);
        assertThatThrownBy(() -> parse("[1,2,3,4]", false, 3)).isInstanceOf(EventBatch.TooMany.class)
                .hasMessage("more than 3 events in one request");
        assertThatThrownBy(() -> parse("1\n2\n3\n4\n", true, 3)).isInstanceOf(EventBatch.TooMany.class);
    }

    @Test
    void anEmptyBodyHasNoItems() throws Exception {
        assertThat(parse("", false, 3)).isEmpty();
        assertThat(parse(" \n\r\n", true, 3)).isEmpty();
    }
}
