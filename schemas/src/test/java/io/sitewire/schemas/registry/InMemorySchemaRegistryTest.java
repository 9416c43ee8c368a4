package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.SensorReading;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema READING = AvroSchemas.forClass(SensorReading.class);
    /** An older reading without workerId: the current one adds it with a default, a backward-compatible change. */
    private static final Schema READING_V1 = AvroSerdeTest.withoutField(READING, "workerId");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void registeringTheSameSchemaAgainKeepsItsIdAndVersion() {
        // Given a registered schema
        final int id = registry.register("readings-value", READING);

        // When it is registered again, and under another subject
        final int again = registry.register("readings-value", READING);
        final int elsewhere = registry.register("archive-value", READING);

        // Then it is one schema with one id, one version per subject
        assertThat(again).isEqualTo(id);
        assertThat(elsewhere).isEqualTo(id);
        assertThat(registry.versions("readings-value")).containsExactly(1);
        assertThat(registry.idOf("archive-value", READING)).isEqualTo(id);
        assertThat(registry.byId(id)).isEqualTo(READING);
    }

    @Test
    void aCompatibleChangeBecomesTheNextVersionWithANewId() {
        // Given version 1
        final int v1 = registry.register("readings-value", READING_V1);

        // When a backward-compatible version is checked and registered
        final boolean compatible = registry.isCompatible("readings-value", READING);
        final int v2 = registry.register("readings-value", READING);

        // Then it is accepted as version 2 with its own id
        assertThat(compatible).isTrue();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.versions("readings-value")).containsExactly(1, 2);
    }

    @Test
    void anIncompatibleChangeIsRefusedWith409AndTheReason() {
        // Given the current reading registered
        registry.register("readings-value", READING);
        final Schema dropsDefault = AvroSerdeTest.withoutField(READING, "sensorId");
        final Schema addsRequired = new Schema.Parser().parse(READING.toString()
                .replace("{\"name\":\"eventTime\"", "{\"name\":\"site\",\"type\":\"string\"},{\"name\":\"eventTime\""));

        // When a version adding a field without default is checked and registered
        // Then it is incompatible under BACKWARD (new readers cannot read old records)
        assertThat(registry.isCompatible("readings-value", dropsDefault)).isTrue();
        assertThat(registry.isCompatible("readings-value", addsRequired)).isFalse();
        assertThatThrownBy(() -> registry.register("readings-value", addsRequired))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.isUnreachable()).isFalse();
                })
                .hasMessageStartingWith("Schema registry " + registry.url() + ": register schema for subject "
                        + "'readings-value' failed: HTTP 409, error_code 409: Schema being registered is incompatible"
                        + " with an earlier schema under BACKWARD: ")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("site");
        assertThat(registry.versions("readings-value")).containsExactly(1);
    }

    @Test
    void levelsDecideWhichDirectionIsChecked() {
        final Schema addsRequired = new Schema.Parser().parse(READING.toString()
                .replace("{\"name\":\"eventTime\"", "{\"name\":\"site\",\"type\":\"string\"},{\"name\":\"eventTime\""));
        registry.register("fwd-value", READING);
        registry.register("none-value", READING);
        registry.register("full-value", READING);

        // Given FORWARD: old readers must read new records; a new required field is fine for them, a removed one not
        registry.setCompatibility("fwd-value", "FORWARD");
        assertThat(registry.isCompatible("fwd-value", addsRequired)).isTrue();
        assertThat(registry.isCompatible("fwd-value", AvroSerdeTest.withoutField(READING, "sensorId"))).isFalse();

        // Given NONE: anything goes
        registry.setCompatibility("none-value", "none");
        assertThat(registry.isCompatible("none-value", addsRequired)).isTrue();

        // Given FULL: both ways, so only changes with defaults
        registry.setCompatibility("full-value", "FULL");
        assertThat(registry.isCompatible("full-value", addsRequired)).isFalse();
        assertThat(registry.isCompatible("full-value", READING_V1)).isTrue();
    }

    @Test
    void transitiveLevelsCheckEveryVersionNotJustTheLatest() {
        // Given v1 (no workerId) and v2 (workerId with a default) under a BACKWARD and a BACKWARD_TRANSITIVE subject
        registry.setCompatibility("latest-value", "BACKWARD");
        registry.setCompatibility("all-value", "BACKWARD_TRANSITIVE");
        for (final String subject : List.of("latest-value", "all-value")) {
            registry.register(subject, READING_V1);
            registry.register(subject, READING);
        }

        // When v3 drops workerId's default: it reads v2 records (they have the field) but not v1 records
        final Schema v3 = new Schema.Parser().parse(READING.toString()
                .replace(",\"default\":null},{\"name\":\"eventTime\"", "},{\"name\":\"eventTime\""));

        // Then only the transitive subject refuses it
        assertThat(v3.getField("workerId").hasDefaultValue()).isFalse();
        assertThat(registry.isCompatible("latest-value", v3)).isTrue();
        assertThat(registry.isCompatible("all-value", v3)).isFalse();
    }

    @Test
    void lookupsOfWhatIsNotThereCarryConfluentErrorCodes() {
        registry.register("readings-value", READING);

        assertThatThrownBy(() -> registry.idOf("nope-value", READING))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSubjectNotFound()).isTrue())
                .hasMessageContaining("error_code 40401");
        assertThatThrownBy(() -> registry.idOf("readings-value", READING_V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSchemaNotFound()).isTrue())
                .hasMessageContaining("error_code 40403");
        assertThatThrownBy(() -> registry.byId(999))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessage("Schema registry " + registry.url() + ": get schema id 999 failed: HTTP 404, "
                        + "error_code 40403: Schema 999 not found.");
        assertThatThrownBy(() -> registry.versions("nope-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSubjectNotFound()).isTrue());
        assertThat(registry.isCompatible("nope-value", READING)).isTrue();
    }

    @Test
    void anUnknownCompatibilityLevelIsRefused() {
        assertThatThrownBy(() -> registry.setCompatibility("readings-value", "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42203))
                .hasMessageContaining("Invalid compatibility level: SIDEWAYS");
    }

    @Test
    void namedRegistriesAreSharedUntilDropped() {
        // Given a registry shared under a name
        final InMemorySchemaRegistry first = InMemorySchemaRegistry.named("shared-test");
        first.register("x-value", READING);

        // When it is asked for again, and after it is dropped
        final InMemorySchemaRegistry same = InMemorySchemaRegistry.named("shared-test");
        InMemorySchemaRegistry.drop("shared-test");
        final InMemorySchemaRegistry fresh = InMemorySchemaRegistry.named("shared-test");
        InMemorySchemaRegistry.drop("shared-test");

        // Then the same instance comes back until dropped, and a fresh one after
        assertThat(same).isSameAs(first);
        assertThat(same.url()).isEqualTo("mem://shared-test");
        assertThat(fresh).isNotSameAs(first);
        assertThatThrownBy(() -> fresh.versions("x-value")).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void concurrentRegistrationsOfDifferentSchemasGetDistinctIds() throws Exception {
        // Given 8 threads registering 50 unrelated schemas each under their own subjects (no compatibility rule)
        registry.setDefaultCompatibility("NONE");
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Callable<List<Integer>>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int thread = t;
                jobs.add(() -> {
                    final List<Integer> ids = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        final Schema s = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R" + thread + "_" + i
                                + "\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
                        ids.add(registry.register("s" + thread + "-value", s));
                    }
                    return ids;
                });
            }

            // When they run at once
            final Set<Integer> ids = new HashSet<>();
            for (final Future<List<Integer>> done : pool.invokeAll(jobs)) {
                ids.addAll(done.get());
            }

            // Then no id was handed out twice, and each subject has 50 versions
            assertThat(ids).hasSize(400);
            assertThat(registry.versions("s3-value")).hasSize(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
