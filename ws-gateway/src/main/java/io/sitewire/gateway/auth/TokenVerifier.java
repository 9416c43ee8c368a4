package io.sitewire.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sitewire.gateway.rooms.Room;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Checks a JWT and turns it into a {@link Principal}. Thread-safe; one instance per gateway.
 *
 * <p>The algorithm is chosen by configuration, never by the token: HS256 only with the configured secret, RS256
 * only with a key of the JWKS file named by the token's {@code kid}. So {@code alg: none}, an HS256 token made
 * with an RSA public key as the HMAC secret (algorithm confusion), or any algorithm that is not configured all
 * fail. Keys that a token carries or points to ({@code jwk}, {@code jku}, {@code x5u}) are ignored.
 *
 * <p>Claims: {@code sub} and {@code exp} are required ({@code nbf} is honoured), both within the configured clock
 * skew; {@code iss} and {@code aud} are checked when configured; {@code projects} and {@code roles} are non-empty string arrays; {@code trades} is an optional string
 * array; {@code workerId} is optional and defaults to {@code sub}. Ids must be usable in room names.
 *
 * <p>Every failure is an {@link AuthException} with code {@code unauthorized} and a message that is safe to show
 * and log: it never contains the token, and values taken from the token are cut short and stripped of control
 * characters.
 */
public final class TokenVerifier {

    /** Longer tokens are refused unparsed; real ones are well under 2 KiB. */
    public static final int MAX_TOKEN_CHARS = 8192;

    static final String PROJECTS = "projects";
    static final String ROLES = "roles";
    static final String TRADES = "trades";
    static final String WORKER_ID = "workerId";

    private static final String BEARER = "Bearer ";
    private static final String ALG_NONE = "unsigned tokens (alg none) are not accepted";

    private final Optional<JWSVerifier> hs256;
    private final Optional<JwksKeys> rs256;
    private final Duration clockSkew;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Clock clock;

    private TokenVerifier(final Optional<JWSVerifier> hs256, final Optional<JwksKeys> rs256, final AuthConfig config,
            final Clock clock) {
        this.hs256 = hs256;
        this.rs256 = rs256;
        this.clockSkew = config.clockSkew();
        this.issuer = config.issuer();
        this.audience = config.audience();
        this.clock = clock;
    }

    /** Builds the verifier; a JWKS file that cannot be read or has no usable key is an IllegalArgumentException. */
    public static TokenVerifier fromConfig(final AuthConfig config) {
        return fromConfig(config, Clock.systemUTC());
    }

    /** With a clock of one's own, for tests at explicit times. */
    public static TokenVerifier fromConfig(final AuthConfig config, final Clock clock) {
        final Optional<JWSVerifier> hs256 = config.hs256Secret().map(secret -> {
            try {
                return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
            } catch (final JOSEException e) {
                throw new IllegalArgumentException(AuthConfig.HS256_SECRET + " is not usable for HS256: " + e.getMessage(), e);
            }
        });
        final Optional<JwksKeys> rs256 = config.jwksFile().map(file -> JwksKeys.load(file, clock));
        return new TokenVerifier(hs256, rs256, config, clock);
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header value (scheme case-insensitive), or null when the
     * header is absent, empty or of another scheme.
     */
    public static String bearer(final String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        final String value = authorizationHeader.strip();
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        final String token = value.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** The algorithms this verifier accepts, e.g. "HS256, RS256". */
    public String acceptedAlgorithms() {
        final StringJoiner accepted = new StringJoiner(", ");
        hs256.ifPresent(v -> accepted.add(JWSAlgorithm.HS256.getName()));
        rs256.ifPresent(v -> accepted.add(JWSAlgorithm.RS256.getName()));
        return accepted.toString();
    }

    /** The principal of a valid token, or an {@code unauthorized} AuthException saying what is wrong. */
    public Principal verify(final String token) throws AuthException {
        if (token == null || token.isBlank()) {
            throw AuthException.unauthorized("no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw AuthException.unauthorized("token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        if (!compactSerialization(token)) {
            // Nimbus's base64 decoder skips characters outside the alphabet; refusing them up front keeps one
            // token from having many spellings.
            throw AuthException.unauthorized("malformed token: not a JWT (base64url header.payload.signature)");
        }
        try {
            return check(token);
        } catch (final AuthException e) {
            throw e;
        } catch (final RuntimeException | StackOverflowError e) {
            // The parser met something it did not expect (deeply nested JSON can exhaust the stack); never let
            // attacker-controlled input escape as anything but a refusal.
            throw AuthException.unauthorized("malformed token");
        }
    }

    private Principal check(final String token) throws AuthException {
        final JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (final ParseException e) {
            if (declaresAlgNone(token)) { // e.g. alg none with a signature part, or "None"
                throw AuthException.unauthorized(ALG_NONE);
            }
            throw AuthException.unauthorized("malformed token: not a JWT (base64url header.payload.signature)");
        }
        if (parsed instanceof PlainJWT) {
            throw AuthException.unauthorized(ALG_NONE);
        }
        if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT jwt)) {
            throw AuthException.unauthorized("encrypted tokens (JWE) are not accepted; send a signed JWT (JWS)");
        }
        final JWSVerifier verifier = verifierFor(jwt);
        try {
            if (!jwt.verify(verifier)) {
                throw AuthException.unauthorized("bad token signature");
            }
        } catch (final JOSEException e) {
            throw AuthException.unauthorized("token signature cannot be checked");
        }
        final JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (final ParseException e) {
            throw AuthException.unauthorized("malformed token claims (exp, nbf and iat must be numbers)");
        }
        return principal(claims);
    }

    private JWSVerifier verifierFor(final SignedJWT jwt) throws AuthException {
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.HS256.equals(alg) && hs256.isPresent()) {
            return hs256.get();
        }
        if (JWSAlgorithm.RS256.equals(alg) && rs256.isPresent()) {
            final String kid = jwt.getHeader().getKeyID();
            if (kid == null) {
                throw AuthException.unauthorized("RS256 token without a kid header: cannot pick its key");
            }
            return rs256.get().verifierFor(kid).orElseThrow(
                    () -> AuthException.unauthorized("unknown key id (kid) " + shown(kid)));
        }
        if (alg != null && "none".equalsIgnoreCase(alg.getName().strip())) {
            throw AuthException.unauthorized(ALG_NONE);
        }
        throw AuthException.unauthorized("token algorithm " + shown(alg == null ? "(none)" : alg.getName())
                + " is not accepted (accepted: " + acceptedAlgorithms() + ")");
    }

    private Principal principal(final JWTClaimsSet claims) throws AuthException {
        final Instant now = clock.instant();
        final Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw AuthException.unauthorized("token has no exp (expiry) claim");
        }
        final Instant expiresAt = exp.toInstant();
        if (now.isAfter(expiresAt.plus(clockSkew))) {
            throw AuthException.unauthorized("token expired");
        }
        final Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            throw AuthException.unauthorized("token not valid yet (nbf is in the future)");
        }
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw AuthException.unauthorized("token issuer (iss) is not " + issuer.get());
        }
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            throw AuthException.unauthorized("token audience (aud) does not include " + audience.get());
        }
        final String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 256) {
            throw AuthException.unauthorized("token has no usable sub claim (1-256 characters)");
        }
        final Set<String> projects = ids(claims, PROJECTS, true);
        final Set<Role> roles = roles(claims);
        final Set<String> trades = ids(claims, TRADES, false);
        final String workerId;
        try {
            workerId = claims.getStringClaim(WORKER_ID);
        } catch (final ParseException e) {
            throw AuthException.unauthorized("claim workerId must be a string");
        }
        if (workerId != null && !Room.isValidId(workerId)) {
            throw AuthException.unauthorized("claim workerId " + shown(workerId)
                    + " is not a valid id (1-128 of A-Z a-z 0-9 . _ -)");
        }
        return new Principal(subject, projects, roles, trades, workerId != null ? workerId : subject, expiresAt);
    }

    private static Set<Role> roles(final JWTClaimsSet claims) throws AuthException {
        final List<String> values = strings(claims, ROLES, true);
        final Set<Role> roles = EnumSet.noneOf(Role.class);
        final List<String> unknown = new ArrayList<>();
        for (final String value : values) {
            Role.fromClaim(value).ifPresentOrElse(roles::add, () -> unknown.add(shown(value)));
        }
        if (!unknown.isEmpty()) {
            throw AuthException.unauthorized("unknown role" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " in the roles claim (known: " + Role.knownClaims() + ")");
        }
        return roles;
    }

    private static Set<String> ids(final JWTClaimsSet claims, final String name, final boolean required)
            throws AuthException {
        final Set<String> ids = new LinkedHashSet<>();
        for (final String value : strings(claims, name, required)) {
            if (!Room.isValidId(value)) {
                throw AuthException.unauthorized("claim " + name + " holds " + shown(value)
                        + ", not a valid id (1-128 of A-Z a-z 0-9 . _ -)");
            }
            ids.add(value);
        }
        return ids;
    }

    private static List<String> strings(final JWTClaimsSet claims, final String name, final boolean required)
            throws AuthException {
        final List<String> values;
        try {
            values = claims.getStringListClaim(name);
        } catch (final ParseException e) {
            throw AuthException.unauthorized("claim " + name + " must be an array of strings");
        }
        if (values == null || values.isEmpty()) {
            if (required) {
                throw AuthException.unauthorized("token has no " + name + " (a non-empty array of strings is required)");
            }
            return List.of();
        }
        if (values.contains(null)) {
            throw AuthException.unauthorized("claim " + name + " must be an array of strings");
        }
        return values;
    }

    /** Base64url parts separated by dots: 3 parts for a JWS, 5 for a JWE (refused later with its own message). */
    private static boolean compactSerialization(final String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            final char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return (dots == 2 || dots == 4) && token.charAt(0) != '.';
    }

    /** Whether the token's header (if it is one) names the "none" algorithm in any spelling; for the message only. */
    private static boolean declaresAlgNone(final String token) {
        final int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            final Object alg = JSONObjectUtils.parse(new Base64URL(token.substring(0, dot)).decodeToString()).get("alg");
            return alg instanceof String name && "none".equalsIgnoreCase(name.strip());
        } catch (final ParseException | RuntimeException e) {
            return false;
        }
    }

    /** A token-supplied value made safe for messages and logs: at most 40 printable ASCII characters, quoted. */
    static String shown(final String value) {
        final StringBuilder out = new StringBuilder("'");
        final int limit = Math.min(value.length(), 40);
        for (int i = 0; i < limit; i++) {
            final char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    @Override
    public String toString() {
        return "TokenVerifier[" + acceptedAlgorithms() + ", clockSkew=" + clockSkew + "]";
    }
}
