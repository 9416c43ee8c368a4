package io.sitewire.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApicurioRegistryIT {

    private static final String AVRO_SCHEMA = "{\"type\":\"record\",\"name\":\"Ping\",\"fields\":[{\"name\":\"at\",\"type\":\"long\"}]}";

    @Test
    void answersThenGoesAwayThenComesBackOnTheSamePortWithItsSchemas() throws Exception {
        // Given a registry on a free port
        try (ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.Options.defaults())) {
            final int port = registry.port();
            assertThat(registry.ccompatUrl()).isEqualTo("http://127.0.0.1:" + port + "/apis/ccompat/v7");
            assertThat(TestClients.get(registry.ccompatUrl() + "/subjects").statusCode()).isEqualTo(200);
            final HttpResponse<String> registered = TestClients.registerSchema(registry.ccompatUrl(), "ping-value", AVRO_SCHEMA);
            assertThat(registered.statusCode()).isEqualTo(200);

            // When it is stopped
            registry.stop();

            // Then it is unreachable
            assertThatThrownBy(() -> TestClients.get(registry.ccompatUrl() + "/subjects"))
                    .isInstanceOf(IOException.class);

            // When it is restarted
            registry.restart();

            // Then it answers on the same port and still knows the schema
            assertThat(registry.port()).isEqualTo(port);
            final HttpResponse<String> subjects = TestClients.get(registry.ccompatUrl() + "/subjects");
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body()).contains("ping-value");
        }
    }

    @Test
    void refusesAPortInUseWithAMessageSayingWhatToDo() throws Exception {
        // Given a port something else listens on
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // When the registry is asked to use it
            // Then it fails at once, saying so
            assertThatThrownBy(() -> ApicurioRegistry.start(ApicurioRegistry.Options.defaults().withPort(taken.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("pick another port");
        }
    }
}
