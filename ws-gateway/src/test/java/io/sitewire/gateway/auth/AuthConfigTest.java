package io.sitewire.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";

    @Test
    void readsEveryKeyAndDefaultsTheSkew() {
        // Given properties with a secret and a JWKS file
        // When they are read
        final AuthConfig config = AuthConfig.fromProperties(Map.of(
                AuthConfig.HS256_SECRET, SECRET, AuthConfig.JWKS_FILE, "/etc/sitewire/jwks.json"));

        // Then both are configured and the skew is the default
        assertThat(config.hs256Secret()).contains(SECRET);
        assertThat(config.jwksFile()).contains(Path.of("/etc/sitewire/jwks.json"));
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.issuer()).isEmpty();
        assertThat(config.audience()).isEmpty();
        final AuthConfig checked = AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, SECRET,
                AuthConfig.ISSUER, "https://idp.site", AuthConfig.AUDIENCE, "sitewire"));
        assertThat(checked.issuer()).contains("https://idp.site");
        assertThat(checked.audience()).contains("sitewire");
        assertThat(AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, SECRET, AuthConfig.CLOCK_SKEW, "PT5S"))
                .clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesAConfigurationThatCannotCheckTokens() {
        assertThatThrownBy(() -> AuthConfig.fromProperties(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth.hs256.secret").hasMessageContaining("auth.jwks.file");
        assertThatThrownBy(() -> AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, "  ", AuthConfig.JWKS_FILE, "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesASecretShorterThan32Bytes() {
        assertThatThrownBy(() -> AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, "x".repeat(31))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth.hs256.secret must be at least 32 bytes")
                .hasMessageContaining("got 31 bytes");
        // 11 three-byte characters are 33 bytes: the limit is on bytes, as HMAC keys are bytes
        assertThat(AuthConfig.hs256("€".repeat(11)).hs256Secret()).isPresent();
    }

    @Test
    void refusesABadOrExcessiveClockSkew() {
        assertThatThrownBy(() -> AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, SECRET, AuthConfig.CLOCK_SKEW, "30s")))
                .hasMessageContaining("auth.clock.skew must be an ISO-8601 duration");
        assertThatThrownBy(() -> AuthConfig.fromProperties(Map.of(AuthConfig.HS256_SECRET, SECRET, AuthConfig.CLOCK_SKEW, "PT1H")))
                .hasMessageContaining("auth.clock.skew must be between");
        assertThatThrownBy(() -> new AuthConfig(Optional.of(SECRET), Optional.empty(), Duration.ofSeconds(-1)))
                .hasMessageContaining("auth.clock.skew");
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(AuthConfig.hs256(SECRET).toString()).doesNotContain(SECRET).contains("hidden");
    }
}
