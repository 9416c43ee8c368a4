package io.sitewire.localstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackModeTest {

    @Test
    void defaultsToEmbeddedAndIgnoresCase() {
        assertThat(StackMode.parse(null)).isEqualTo(StackMode.EMBEDDED);
        assertThat(StackMode.parse(" ")).isEqualTo(StackMode.EMBEDDED);
        assertThat(StackMode.parse("External")).isEqualTo(StackMode.EXTERNAL);
        assertThat(StackMode.parse("testcontainers")).isEqualTo(StackMode.TESTCONTAINERS);
    }

    @Test
    void namesTheValidModesWhenGivenAnUnknownOne() {
        assertThatThrownBy(() -> StackMode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SITEWIRE_STACK=docker")
                .hasMessageContaining("embedded, external, testcontainers");
    }
}
