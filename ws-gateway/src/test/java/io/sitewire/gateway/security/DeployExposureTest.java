package io.sitewire.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway speaks plain HTTP and leaves TLS to what is in front of it (docs/security.md). So the shipped
 * Kubernetes manifests must not publish it outside the cluster by themselves: its Service is cluster-internal and no
 * container binds a host port; exposing it is an Ingress or load balancer that terminates TLS, chosen per site.
 */
class DeployExposureTest {

    private static List<JsonNode> documents(final String file) throws Exception {
        final List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(Path.of("..", "deploy", "k8s", file).toFile())) {
            while (it.hasNext()) {
                final JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    @Test
    void theGatewayServiceIsClusterInternalAndNoContainerBindsAHostPort() throws Exception {
        final List<JsonNode> docs = documents("ws-gateway.yaml");
        final List<JsonNode> services = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).toList();
        assertThat(services).isNotEmpty();
        for (final JsonNode service : services) {
            assertThat(service.at("/spec/type").asText("ClusterIP")).as("Service type").isEqualTo("ClusterIP");
        }
        for (final JsonNode doc : docs) {
            doc.at("/spec/template/spec/containers").forEach(container -> container.path("ports")
                    .forEach(port -> assertThat(port.has("hostPort")).as("hostPort in " + container.path("name")).isFalse()));
            assertThat(doc.at("/spec/template/spec/hostNetwork").asBoolean(false)).isFalse();
        }
    }
}
