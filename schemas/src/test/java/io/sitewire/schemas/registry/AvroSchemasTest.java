package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.WorkerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    @Test
    void everyRecordSourceHasAGeneratedClassAndASample() {
        // Given the record types parsed from /avro/*.avsc
        final List<String> records = AvroSchemas.all().values().stream()
                .filter(s -> s.getType() == Schema.Type.RECORD)
                .map(Schema::getFullName)
                .sorted()
                .collect(Collectors.toList());

        // When we look at the samples the serde tests use
        final List<String> sampled = SampleEvents.all().stream()
                .map(r -> r.getClass().getName())
                .distinct()
                .sorted()
                .collect(Collectors.toList());

        // Then every record type is covered, so a new .avsc cannot slip past the round-trip tests
        assertThat(records).hasSize(11).isEqualTo(sampled);
        records.forEach(name -> assertThat(SpecificData.get().getClass(AvroSchemas.all().get(name)))
                .as("generated class for %s", name).isNotNull());
    }

    @Test
    void cleanSchemaHasNoJavaStringHintButMatchesTheGeneratedClass() {
        for (final SpecificRecord sample : SampleEvents.all()) {
            // Given a generated class, whose own schema carries avro.java.string
            final Class<? extends SpecificRecord> type = sample.getClass();
            assertThat(sample.getSchema().toString()).contains("avro.java.string");

            // When we ask for the schema to register
            final Schema clean = AvroSchemas.forClass(type);

            // Then it has no Java hint, and is the same schema as far as encoding goes
            assertThat(clean.toString()).doesNotContain("avro.java");
            assertThat(SchemaNormalization.parsingFingerprint64(clean))
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(sample.getSchema()));
        }
    }

    @Test
    void cleanSchemaIsSelfContainedEvenWhenTheSourceRefersToAnotherFile() {
        // Given sources that name a type defined in another file (Priority, WorkerStatus)
        for (final Class<? extends SpecificRecord> type : List.of(Alert.class, ManualBroadcast.class,
                WorkerState.class)) {
            // When the clean schema is printed and parsed again by a parser that knows nothing else
            final Schema reparsed = new Schema.Parser().parse(AvroSchemas.forClass(type).toString());

            // Then it parses, and is the same schema
            assertThat(reparsed).isEqualTo(AvroSchemas.forClass(type));
        }
        assertThat(AvroSchemas.forClass(Alert.class).getField("priority").schema().getEnumSymbols())
                .containsExactly("EMERGENCY", "URGENT", "HIGH", "NORMAL", "LOW");
        assertThat(AvroSchemas.forClass(WorkerState.class).getField("status").schema().getFullName())
                .isEqualTo("io.sitewire.events.WorkerStatus");
    }

    @Test
    void sourcesAreParsedAfterTheFilesWhoseTypesTheyName() {
        // Given sources in an order where the referring files come first
        final Map<String, String> sources = new LinkedHashMap<>();
        sources.put("A.avsc", "{\"type\":\"record\",\"name\":\"A\",\"namespace\":\"n\",\"fields\":["
                + "{\"name\":\"b\",\"type\":\"B\"},{\"name\":\"c\",\"type\":{\"type\":\"array\",\"items\":\"m.C\"}}]}");
        sources.put("B.avsc", "{\"type\":\"record\",\"name\":\"B\",\"namespace\":\"n\",\"fields\":["
                + "{\"name\":\"c\",\"type\":[\"null\",\"m.C\"]}]}");
        sources.put("C.avsc", "{\"type\":\"enum\",\"name\":\"C\",\"namespace\":\"m\",\"symbols\":[\"X\"]}");

        // When they are ordered and parsed
        final List<String> order = AvroSchemas.dependencyOrder(sources);
        final Map<String, Schema> types = AvroSchemas.parseInDependencyOrder(sources);

        // Then each comes after what it needs, and all types are defined
        assertThat(order).containsExactly("C.avsc", "B.avsc", "A.avsc");
        assertThat(types).containsOnlyKeys("n.A", "n.B", "m.C");
    }

    @Test
    void cyclicSourcesAreRejectedWithTheFilesNamed() {
        // Given two files that each name a type of the other
        final Map<String, String> sources = Map.of(
                "A.avsc", "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"b\",\"type\":\"B\"}]}",
                "B.avsc", "{\"type\":\"record\",\"name\":\"B\",\"fields\":[{\"name\":\"a\",\"type\":\"A\"}]}");

        // When / Then
        assertThatThrownBy(() -> AvroSchemas.dependencyOrder(sources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cyclic references")
                .hasMessageContaining("A.avsc")
                .hasMessageContaining("B.avsc");
    }

    @Test
    void anUndefinedNameIsReportedWithItsFile() {
        // Given a source that names a type nobody defines
        final Map<String, String> sources = Map.of(
                "Bad.avsc", "{\"type\":\"record\",\"name\":\"Bad\",\"fields\":[{\"name\":\"p\",\"type\":\"Nope\"}]}");

        // When / Then
        assertThatThrownBy(() -> AvroSchemas.parseInDependencyOrder(sources))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot parse /avro/Bad.avsc: ")
                .hasMessageContaining("Nope");
    }
}
