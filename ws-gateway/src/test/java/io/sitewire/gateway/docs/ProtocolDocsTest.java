package io.sitewire.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sitewire.gateway.ws.Connection;
import io.sitewire.gateway.ws.Frames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/protocol.md and docs/asyncapi.yaml must name every op, error code and close code the code uses. */
class ProtocolDocsTest {

    private static final Path DOCS = Path.of("..", "docs");

    /** Every op of either direction, once (flow is both a client request and the server's answer). */
    private static List<String> allOps() {
        final Set<String> ops = new LinkedHashSet<>(Frames.CLIENT_OPS);
        ops.addAll(Frames.SERVER_OPS);
        return new ArrayList<>(ops);
    }

    @Test
    void theAsyncApiDocumentDescribesEveryOpAndErrorCode() throws Exception {
        final JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("asyncapi.yaml").toFile());
        assertThat(doc.get("asyncapi").asText()).startsWith("3.");
        final Set<String> ops = new HashSet<>();
        doc.at("/components/messages").forEach(m -> ops.add(m.at("/payload/properties/op/const").asText()));
        assertThat(ops).containsExactlyInAnyOrderElementsOf(allOps());
        final Set<String> codes = new HashSet<>();
        doc.at("/components/messages/error/payload/properties/code/enum").forEach(c -> codes.add(c.asText()));
        assertThat(codes).containsExactlyInAnyOrderElementsOf(Frames.ERROR_CODES);
        assertThat(doc.at("/channels/stream/address").asText()).isEqualTo("/v1/stream");
        final String description = doc.at("/info/description").asText();
        for (final int code : closeCodes()) {
            assertThat(description).contains(Integer.toString(code));
        }
    }

    @Test
    void theProtocolDocumentDescribesEveryOpErrorAndCloseCode() throws Exception {
        final String md = Files.readString(DOCS.resolve("protocol.md"));
        for (final String op : allOps()) {
            assertThat(md).as("op " + op).contains("`" + op + "`");
        }
        for (final String code : Frames.ERROR_CODES) {
            assertThat(md).as("error code " + code).contains("`" + code + "`");
        }
        for (final int code : closeCodes()) {
            assertThat(md).as("close code " + code).contains("| " + code + " |");
        }
        assertThat(md).contains(Connection.SLOW_CONSUMER_REASON);
    }

    private static List<Integer> closeCodes() {
        return List.of(1001, 1009, Connection.CLOSE_UNAUTHORIZED, Connection.CLOSE_FORBIDDEN, Connection.CLOSE_SLOW_CONSUMER,
                Connection.CLOSE_RATE_LIMITED);
    }
}
