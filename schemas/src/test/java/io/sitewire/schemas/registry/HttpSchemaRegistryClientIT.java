package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.events.Alert;
import io.sitewire.events.SensorReading;
import java.util.UUID;
import org.apache.avro.Schema;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The registry client against a real Apicurio Registry (Confluent-compatible API). */
@Tag("integration")
@SitewireStack
class HttpSchemaRegistryClientIT {

    private static final Schema ALERT = AvroSchemas.forClass(Alert.class);
    private static final Schema READING = AvroSchemas.forClass(SensorReading.class);
    private static final Schema READING_V1 = AvroSerdeTest.withoutField(READING, "workerId");

    private static String url;

    private String subject;

    @BeforeAll
    static void registry(final LocalStack stack) {
        url = stack.registryUrl();
    }

    @BeforeEach
    void uniqueSubject() {
        subject = "it-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registerLookUpAndFetchByIdAgree() {
        // Given a schema registered by one client
        final int id = client().register(subject, ALERT);

        // When a second client, with empty caches, looks it up, fetches it by id and lists the versions
        final SchemaRegistryClient other = client();
        final int lookedUp = other.idOf(subject, ALERT);
        final Schema fetched = other.byId(id);

        // Then all agree, although Apicurio's answer for the id has no schemaType
        assertThat(lookedUp).isEqualTo(id);
        assertThat(fetched).isEqualTo(ALERT);
        assertThat(fetched.toString()).doesNotContain("avro.java.string");
        assertThat(other.versions(subject)).containsExactly(1);
    }

    @Test
    void registeringAgainIsANoOpAndTheSameSchemaElsewhereKeepsItsId() {
        // Given a registered schema
        final SchemaRegistryClient client = client();
        final int id = client.register(subject, READING);

        // When the same schema is registered again by a fresh client, and under another subject
        final int again = client().register(subject, READING);
        final int elsewhere = client().register("other-" + subject, READING);

        // Then there is still one version, and ids name content, not subjects
        assertThat(again).isEqualTo(id);
        assertThat(elsewhere).isEqualTo(id);
        assertThat(client.versions(subject)).containsExactly(1);
    }

    @Test
    void aCompatibleChangeIsAcceptedAndAnIncompatibleOneRefusedWith409() {
        // Given BACKWARD compatibility and version 1
        final SchemaRegistryClient client = client();
        client.setCompatibility(subject, "BACKWARD");
        final int v1 = client.register(subject, READING_V1);
        final Schema addsRequired = new Schema.Parser().parse(READING.toString()
                .replace("{\"name\":\"eventTime\"", "{\"name\":\"site\",\"type\":\"string\"},{\"name\":\"eventTime\""));

        // When a compatible and an incompatible change are checked and registered
        final boolean compatible = client.isCompatible(subject, READING);
        final int v2 = client.register(subject, READING);
        final boolean incompatible = client.isCompatible(subject, addsRequired);

        // Then the first becomes version 2 (with a new, not necessarily consecutive, id) and the second is refused
        assertThat(compatible).isTrue();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(incompatible).isFalse();
        assertThatThrownBy(() -> client.register(subject, addsRequired))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isUnreachable()).isFalse();
                })
                .hasMessageStartingWith("Schema registry " + url + ": register schema for subject '" + subject
                        + "' failed: HTTP 409, error_code 409: ")
                .hasMessageContaining("Incompatible");
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void whatIsNotThereComesBackWithConfluentErrorCodes() {
        final SchemaRegistryClient client = client();
        client.register(subject, READING);

        assertThatThrownBy(() -> client.idOf("missing-" + subject, READING))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSubjectNotFound()).isTrue());
        assertThatThrownBy(() -> client.idOf(subject, ALERT))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSchemaNotFound()).isTrue());
        assertThatThrownBy(() -> client.byId(Integer.MAX_VALUE - 7))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND))
                .hasMessageStartingWith("Schema registry " + url + ": get schema id " + (Integer.MAX_VALUE - 7)
                        + " failed: HTTP 404, error_code 40403: ");
        assertThatThrownBy(() -> client.versions("missing-" + subject))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.isSubjectNotFound()).isTrue());
        assertThatThrownBy(() -> client.setCompatibility(subject, "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
        assertThat(client.isCompatible("missing-" + subject, ALERT)).isTrue();
    }

    @Test
    void subjectsWithCharactersToEscapeWork() {
        final String odd = "site 7/alerts+" + UUID.randomUUID() + "-value";

        final int id = client().register(odd, ALERT);

        assertThat(client().idOf(odd, ALERT)).isEqualTo(id);
        assertThat(client().versions(odd)).containsExactly(1);
    }

    private static SchemaRegistryClient client() {
        return HttpSchemaRegistryClient.builder(url).build();
    }
}
