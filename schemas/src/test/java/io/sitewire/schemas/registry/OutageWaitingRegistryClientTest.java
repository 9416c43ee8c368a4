package io.sitewire.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class OutageWaitingRegistryClientTest {

    private static final Schema SCHEMA = Schema.create(Schema.Type.STRING);

    /** A registry that is unreachable (or, with {@code rejected}, says "not found") for its first {@code failures} calls. */
    private static final class FlakyRegistry implements SchemaRegistryClient {
        final AtomicInteger calls = new AtomicInteger();
        private final InMemorySchemaRegistry store = new InMemorySchemaRegistry();
        private final int failures;
        private final boolean rejected;

        FlakyRegistry(final int failures, final boolean rejected) {
            this.failures = failures;
            this.rejected = rejected;
        }

        @Override
        public Schema byId(final int id) {
            if (calls.incrementAndGet() <= failures) {
                throw rejected
                        ? SchemaRegistryException.rejected("mem://x", "get schema", null, 404, SchemaRegistryException.SCHEMA_NOT_FOUND, "no")
                        : SchemaRegistryException.unreachable("mem://x", "get schema", null, 3, Duration.ofMillis(5), 503, null);
            }
            return store.byId(id);
        }

        @Override
        public int register(final String subject, final Schema schema) {
            return store.register(subject, schema);
        }

        @Override
        public int idOf(final String subject, final Schema schema) {
            return store.idOf(subject, schema);
        }

        @Override
        public java.util.List<Integer> versions(final String subject) {
            return store.versions(subject);
        }

        @Override
        public boolean isCompatible(final String subject, final Schema schema) {
            return store.isCompatible(subject, schema);
        }

        @Override
        public void setCompatibility(final String subject, final String level) {
            store.setCompatibility(subject, level);
        }

        @Override
        public String url() {
            return "mem://x";
        }
    }

    @Test
    void anOutageShorterThanTheWaitIsWaitedOut() {
        // Given a registry that is unreachable for its first two calls
        final FlakyRegistry flaky = new FlakyRegistry(2, false);
        final int id = flaky.register("s-value", SCHEMA);
        final SchemaRegistryClient client = OutageWaitingRegistryClient.wrap(flaky, Duration.ofSeconds(30));
        // When a schema is fetched, Then the call returns it, after three attempts
        assertThat(client.byId(id)).isEqualTo(SCHEMA);
        assertThat(flaky.calls).hasValue(3);
    }

    @Test
    void anOutageLongerThanTheWaitFailsWithTheRegistrysError() {
        // Given a registry that stays unreachable and a wait shorter than the first pause
        final FlakyRegistry flaky = new FlakyRegistry(Integer.MAX_VALUE, false);
        final SchemaRegistryClient client = OutageWaitingRegistryClient.wrap(flaky, Duration.ofMillis(50));
        // When a schema is fetched, Then the unreachable error comes out, after a single attempt
        assertThatThrownBy(() -> client.byId(1)).isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isUnreachable()).isTrue());
        assertThat(flaky.calls).hasValue(1);
    }

    @Test
    void anAnswerThatIsTheRequestsFaultIsNotRetried() {
        // Given a registry that answers "schema not found"
        final FlakyRegistry flaky = new FlakyRegistry(1, true);
        final SchemaRegistryClient client = OutageWaitingRegistryClient.wrap(flaky, Duration.ofSeconds(30));
        // Then the answer comes out at once
        assertThatThrownBy(() -> client.byId(1)).isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isSchemaNotFound()).isTrue());
        assertThat(flaky.calls).hasValue(1);
    }
}
