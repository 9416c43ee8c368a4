package io.sitewire.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CatalogueDocTest {

    @Test
    void docsTopicsMdShowsTheCatalogueAsCoded() throws IOException {
        // Given the committed document
        final Path doc = Path.of("..", "docs", "topics.md");
        final String committed = Files.readString(doc, StandardCharsets.UTF_8);

        // When its table is generated from the code
        final String regenerated = CatalogueDoc.render(committed, TopicCatalogue.LIVE);

        // Then nothing changes; otherwise run: ./mvnw -q -pl schemas exec:java -Dexec.mainClass=io.sitewire.schemas.topics.CatalogueDoc -Dexec.args=../docs/topics.md
        assertThat(committed).as("docs/topics.md is stale: regenerate it with CatalogueDoc").isEqualTo(regenerated);
    }
}
