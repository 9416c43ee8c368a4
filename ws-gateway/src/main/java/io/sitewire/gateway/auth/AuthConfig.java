package io.sitewire.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How tokens are checked. At least one way must be configured:
 * <ul>
 *   <li>{@value #HS256_SECRET}: a shared secret for HS256 tokens, at least 32 bytes (UTF-8), as RFC 7518 3.2
 *       requires a key at least as long as the hash;</li>
 *   <li>{@value #JWKS_FILE}: a JWKS file with the RSA public keys of RS256 tokens, matched on {@code kid}.</li>
 * </ul>
 * {@value #CLOCK_SKEW} (ISO-8601, default PT30S, at most PT5M) is the leeway on {@code exp} and {@code nbf}.
 * Optional {@value #ISSUER} and {@value #AUDIENCE}: when set, a token's {@code iss} must equal it and its
 * {@code aud} must contain it, so that tokens the same identity provider issues for other services are refused.
 * The secret never appears in {@link #toString()}.
 */
public record AuthConfig(Optional<String> hs256Secret, Optional<Path> jwksFile, Duration clockSkew,
        Optional<String> issuer, Optional<String> audience) {

    public static final String HS256_SECRET = "auth.hs256.secret";
    public static final String JWKS_FILE = "auth.jwks.file";
    public static final String CLOCK_SKEW = "auth.clock.skew";
    public static final String ISSUER = "auth.issuer";
    public static final String AUDIENCE = "auth.audience";

    public static final int MIN_SECRET_BYTES = 32;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public AuthConfig {
        Objects.requireNonNull(hs256Secret, "hs256Secret");
        Objects.requireNonNull(jwksFile, "jwksFile");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        if (hs256Secret.isEmpty() && jwksFile.isEmpty()) {
            throw new IllegalArgumentException("no way to check tokens: set " + HS256_SECRET + " (HS256) and/or "
                    + JWKS_FILE + " (RS256 public keys)");
        }
        hs256Secret.ifPresent(secret -> {
            final int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(HS256_SECRET + " must be at least " + MIN_SECRET_BYTES
                        + " bytes (256 bits) for HS256, got " + bytes + " bytes: use a long random secret");
            }
        });
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException(CLOCK_SKEW + " must be between PT0S and " + MAX_CLOCK_SKEW + ", got "
                    + clockSkew);
        }
    }

    /** Without issuer and audience checks. */
    public AuthConfig(final Optional<String> hs256Secret, final Optional<Path> jwksFile, final Duration clockSkew) {
        this(hs256Secret, jwksFile, clockSkew, Optional.empty(), Optional.empty());
    }

    /** HS256 only, default skew. */
    public static AuthConfig hs256(final String secret) {
        return new AuthConfig(Optional.of(secret), Optional.empty(), DEFAULT_CLOCK_SKEW);
    }

    /** Reads the {@code auth.*} keys; blank values count as absent. Throws IllegalArgumentException naming the key. */
    public static AuthConfig fromProperties(final Map<String, String> properties) {
        // The secret is taken as is (not stripped): the issuer signs with exactly these bytes.
        final Optional<String> secret = Optional.ofNullable(properties.get(HS256_SECRET)).filter(s -> !s.isBlank());
        final Optional<Path> jwks = value(properties, JWKS_FILE).map(Path::of);
        final Duration skew = value(properties, CLOCK_SKEW).map(AuthConfig::duration).orElse(DEFAULT_CLOCK_SKEW);
        return new AuthConfig(secret, jwks, skew, value(properties, ISSUER), value(properties, AUDIENCE));
    }

    @Override
    public String toString() {
        return "AuthConfig[hs256Secret=" + hs256Secret.map(s -> "(" + s.length() + " characters, hidden)").orElse("none")
                + ", jwksFile=" + jwksFile.map(Path::toString).orElse("none") + ", clockSkew=" + clockSkew
                + ", issuer=" + issuer.orElse("any") + ", audience=" + audience.orElse("any") + "]";
    }

    private static Optional<String> value(final Map<String, String> properties, final String key) {
        final String value = properties.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Duration duration(final String text) {
        try {
            return Duration.parse(text);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(CLOCK_SKEW + " must be an ISO-8601 duration such as PT30S, got: " + text);
        }
    }
}
