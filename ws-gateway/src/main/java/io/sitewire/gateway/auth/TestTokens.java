package io.sitewire.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Mints tokens for tests, the launcher's sample tokens and benchmarks. It is not a token issuer: it signs with a
 * secret or key the caller already holds, so it adds no way into a gateway. Roles are plain strings so that tests
 * can also mint tokens with unknown roles.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** An HS256 token issued now, valid for {@code ttl} (a negative ttl gives an expired token). */
    public static String hs256(final String secret, final String subject, final List<String> projects,
            final List<String> roles, final List<String> trades, final Duration ttl) {
        return hs256(secret, subject, null, projects, roles, trades, ttl);
    }

    /** As above with a {@code workerId} claim (null for none). */
    public static String hs256(final String secret, final String subject, final String workerId,
            final List<String> projects, final List<String> roles, final List<String> trades, final Duration ttl) {
        return sign(claims(subject, workerId, projects, roles, trades, Instant.now(), ttl), secret);
    }

    /** An RS256 token signed with {@code key} (which must hold its private part), {@code kid} from the key. */
    public static String rs256(final RSAKey key, final String subject, final List<String> projects,
            final List<String> roles, final List<String> trades, final Duration ttl) {
        return rs256(key, subject, null, projects, roles, trades, ttl);
    }

    public static String rs256(final RSAKey key, final String subject, final String workerId,
            final List<String> projects, final List<String> roles, final List<String> trades, final Duration ttl) {
        return sign(claims(subject, workerId, projects, roles, trades, Instant.now(), ttl), key);
    }

    /** The claims Sitewire reads, issued at {@code issuedAt} and expiring {@code ttl} later. */
    public static JWTClaimsSet claims(final String subject, final String workerId, final List<String> projects,
            final List<String> roles, final List<String> trades, final Instant issuedAt, final Duration ttl) {
        final JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(ttl)))
                .claim(TokenVerifier.PROJECTS, List.copyOf(projects))
                .claim(TokenVerifier.ROLES, List.copyOf(roles))
                .claim(TokenVerifier.TRADES, List.copyOf(trades));
        if (workerId != null) {
            builder.claim(TokenVerifier.WORKER_ID, workerId);
        }
        return builder.build();
    }

    /** Signs any claims with HS256. */
    public static String sign(final JWTClaimsSet claims, final String secret) {
        try {
            final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (final JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this secret (HS256 needs >= 32 bytes): " + e.getMessage(), e);
        }
    }

    /** Signs any claims with RS256 under the key's kid. */
    public static String sign(final JWTClaimsSet claims, final RSAKey key) {
        try {
            final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (final JOSEException e) {
            throw new IllegalArgumentException("cannot sign with key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
    }

    /** A new 2048-bit RSA signing key pair with this kid. */
    public static RSAKey newRsaKey(final String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (final JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    /** The JWKS document (public parts only) for these keys: the content of an {@code auth.jwks.file}. */
    public static String jwks(final RSAKey... keys) {
        final List<JWK> publicKeys = Arrays.stream(keys).<JWK>map(RSAKey::toPublicJWK).toList();
        return new JWKSet(publicKeys).toString(true);
    }
}
