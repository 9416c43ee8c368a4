package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    private static final String URL = "http://127.0.0.1:18081/apis/ccompat/v7";

    @Test
    void memUrlsNameASharedInMemoryRegistry() {
        // Given two configs naming the same in-memory registry
        final SchemaRegistryClient a = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, "mem://cfg"));
        final SchemaRegistryClient b = SchemaRegistryClients.newClient(Map.of(SchemaRegistryClients.URL, "mem://cfg"));
        InMemorySchemaRegistry.drop("cfg");

        // Then they are one registry
        assertThat(a).isInstanceOf(InMemorySchemaRegistry.class).isSameAs(b);
        assertThat(a.url()).isEqualTo("mem://cfg");
    }

    @Test
    void httpClientsAreSharedPerDistinctConfiguration() {
        // Given the same URL twice, and once with other retry settings
        final Map<String, Object> config = new HashMap<>(Map.of(SchemaRegistryClients.URL, URL));
        final SchemaRegistryClient first = SchemaRegistryClients.fromConfig(config);
        final SchemaRegistryClient second = SchemaRegistryClients.fromConfig(Map.copyOf(config));
        config.put(SchemaRegistryClients.RETRY_ATTEMPTS, "2");
        final SchemaRegistryClient other = SchemaRegistryClients.fromConfig(config);

        // Then identical settings share one client (and its caches), different ones do not
        assertThat(first).isInstanceOf(HttpSchemaRegistryClient.class).isSameAs(second);
        assertThat(other).isNotSameAs(first);
        assertThat(SchemaRegistryClients.newClient(config)).isNotSameAs(other);
        assertThat(first.url()).isEqualTo(URL);
    }

    @Test
    void basicAuthAndHeadersAreAccepted() {
        // Given Confluent's basic auth keys (the password as Kafka's Password type) and an extra header
        final Map<String, Object> config = Map.of(
                SchemaRegistryClients.URL, URL + "/",
                SchemaRegistryClients.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SchemaRegistryClients.BASIC_AUTH_USER_INFO, new Password("svc:secret"),
                SchemaRegistryClients.REQUEST_HEADER_PREFIX + "X-Tenant", "tower-7");

        // When / Then: a client is built, and its URL (as shown in messages) has no trailing slash or secret
        assertThat(SchemaRegistryClients.newClient(config).url()).isEqualTo(URL);
    }

    @Test
    void badSettingsAreConfigExceptionsNamingTheKey() {
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, "ftp://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Not an http(s) schema registry URL");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(
                Map.of(SchemaRegistryClients.URL, URL + "," + URL)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be one URL");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(
                Map.of(SchemaRegistryClients.URL, URL, SchemaRegistryClients.RETRY_ATTEMPTS, "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.retry.attempts");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(
                Map.of(SchemaRegistryClients.URL, URL, SchemaRegistryClients.RETRY_BACKOFF_MS, 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(
                Map.of(SchemaRegistryClients.URL, URL, SchemaRegistryClients.BASIC_AUTH_USER_INFO, "nocolon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:password")
                .hasMessageNotContaining("nocolon");
        assertThatThrownBy(() -> AvroSerdes.forClass(io.sitewire.events.Alert.class,
                Map.of(SchemaRegistryClients.URL, "mem://x", AvroSerdes.AUTO_REGISTER_SCHEMAS, "yes"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
        assertThatThrownBy(() -> new AvroDeserializer<>().configure(Map.of(SchemaRegistryClients.URL, "mem://x",
                AvroSerdes.SPECIFIC_VALUE_TYPE, "java.lang.String"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a generated Avro SpecificRecord class");
        InMemorySchemaRegistry.drop("x");
    }
}
