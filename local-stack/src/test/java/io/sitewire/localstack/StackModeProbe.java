package io.sitewire.localstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Run only through the JUnit engine test kit by {@link StackModesIT}, with a chosen SITEWIRE_STACK;
 * its name keeps failsafe and surefire from running it directly.
 */
@SitewireStack
class StackModeProbe {

    @Test
    void seesAStackItDoesNotControl(final LocalStack stack) {
        assertThat(stack.bootstrapServers()).isNotBlank();
        assertThat(stack.registryUrl()).isNotBlank();
        assertThatThrownBy(stack::kafka).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(stack::registry).isInstanceOf(UnsupportedOperationException.class);
    }
}
