package io.sitewire.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RS256 verification keys of a JWKS file, by {@code kid}. Only the public part of each key is kept.
 *
 * <p>Keys rotate: the file is checked for changes (modification time and size) at most every
 * {@link #RECHECK_EVERY}, and also on an unknown {@code kid} but then at most every {@link #RECHECK_ON_MISS_EVERY}
 * so that tokens with made-up kids cannot make the gateway read the file at request rate. A file that no longer
 * loads keeps the previous keys in use (and is logged); at start it is a configuration error.
 */
final class JwksKeys {

    static final Duration RECHECK_EVERY = Duration.ofSeconds(30);
    static final Duration RECHECK_ON_MISS_EVERY = Duration.ofSeconds(2);
    static final int MIN_RSA_BITS = 2048;
    private static final int MAX_FILE_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private JwksKeys(final Path file, final Clock clock, final Snapshot first) {
        this.file = file;
        this.clock = clock;
        this.snapshot = first;
    }

    /** Loads the file now; throws IllegalArgumentException (a configuration error) if it has no usable key. */
    static JwksKeys load(final Path file, final Clock clock) {
        return new JwksKeys(file, clock, read(file, clock.instant()));
    }

    /** The verifier for this kid, if the file has such a key. */
    Optional<RSASSAVerifier> verifierFor(final String kid) {
        Snapshot current = snapshot;
        final Instant now = clock.instant();
        final RSASSAVerifier found = current.verifiers.get(kid);
        final Duration sinceCheck = Duration.between(current.checkedAt, now);
        if (sinceCheck.compareTo(RECHECK_EVERY) >= 0
                || (found == null && sinceCheck.compareTo(RECHECK_ON_MISS_EVERY) >= 0)) {
            current = recheck(current, now);
        }
        return Optional.ofNullable(current.verifiers.get(kid));
    }

    int size() {
        return snapshot.verifiers.size();
    }

    private synchronized Snapshot recheck(final Snapshot seen, final Instant now) {
        final Snapshot current = snapshot;
        if (current != seen) {
            return current; // another thread has just checked
        }
        try {
            final FileTime modified = Files.getLastModifiedTime(file);
            final long size = Files.size(file);
            if (modified.equals(current.modified) && size == current.size) {
                snapshot = current.checked(now);
            } else {
                snapshot = read(file, now);
                LOG.info("Reloaded JWKS file {}: {} RS256 key(s) {}", file, snapshot.verifiers.size(),
                        snapshot.verifiers.keySet());
            }
        } catch (final IOException | IllegalArgumentException e) {
            LOG.error("JWKS file {} could not be reloaded, keeping the {} key(s) loaded before: {}", file,
                    current.verifiers.size(), e.getMessage());
            snapshot = current.checked(now);
        }
        return snapshot;
    }

    private static Snapshot read(final Path file, final Instant now) {
        final FileTime modified;
        final long size;
        final String text;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file + " is larger than "
                        + MAX_FILE_BYTES + " bytes: not a JWKS file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                text = new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
            }
        } catch (final IOException e) {
            throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file + " cannot be read: " + e, e);
        }
        final JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (final ParseException e) {
            throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file + " is not a JWKS document: "
                    + e.getMessage(), e);
        }
        final Map<String, RSASSAVerifier> verifiers = new HashMap<>();
        for (final JWK jwk : set.getKeys()) {
            usable(jwk, file).ifPresent(key -> {
                if (verifiers.containsKey(key.getKeyID())) {
                    throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file + " has two keys with kid "
                            + key.getKeyID() + ": kids must be unique");
                }
                try {
                    verifiers.put(key.getKeyID(), new RSASSAVerifier(key.toPublicJWK()));
                } catch (final JOSEException e) {
                    throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file + ": key " + key.getKeyID()
                            + " is not a usable RSA public key: " + e.getMessage(), e);
                }
            });
        }
        if (verifiers.isEmpty()) {
            throw new IllegalArgumentException(AuthConfig.JWKS_FILE + " " + file
                    + " has no usable RS256 key (RSA, >= " + MIN_RSA_BITS + " bits, with a kid, use sig or unset)");
        }
        return new Snapshot(Map.copyOf(verifiers), modified, size, now);
    }

    /** The key if it may verify RS256 signatures; other keys (EC keys of the same issuer, encryption keys) are skipped. */
    private static Optional<RSAKey> usable(final JWK jwk, final Path file) {
        final String kid = jwk.getKeyID();
        final String skip;
        if (!(jwk instanceof RSAKey rsa)) {
            skip = "not an RSA key (" + jwk.getKeyType() + ")";
        } else if (kid == null || kid.isBlank()) {
            skip = "it has no kid, and RS256 tokens are matched on kid";
        } else if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            skip = "its use is " + jwk.getKeyUse().identifier() + ", not sig";
        } else if (jwk.getAlgorithm() != null && !JWSAlgorithm.RS256.equals(jwk.getAlgorithm())) {
            skip = "its alg is " + jwk.getAlgorithm() + ", not RS256";
        } else if (rsa.size() < MIN_RSA_BITS) {
            skip = "it has " + rsa.size() + " bits, fewer than " + MIN_RSA_BITS;
        } else {
            if (rsa.isPrivate()) {
                LOG.warn("JWKS file {} holds the PRIVATE part of key {}: the gateway uses only the public part; "
                        + "keep private keys with the token issuer", file, kid);
            }
            return Optional.of(rsa);
        }
        LOG.warn("JWKS file {}: key {} skipped: {}", file, kid, skip);
        return Optional.empty();
    }

    private record Snapshot(Map<String, RSASSAVerifier> verifiers, FileTime modified, long size, Instant checkedAt) {

        Snapshot checked(final Instant now) {
            return new Snapshot(verifiers, modified, size, now);
        }
    }
}
