package io.sitewire.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

    static final String SECRET = "hs256-secret-for-token-verifier-tests-0123456789";
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant ISSUED = NOW.minus(Duration.ofMinutes(1));
    static final Duration TTL = Duration.ofHours(1);

    static RSAKey rsaKey;
    static RSAKey otherKeySameKid;

    @TempDir
    static Path dir;
    static Path jwksFile;

    @BeforeAll
    static void keys() throws IOException {
        rsaKey = TestTokens.newRsaKey("site-key-1");
        otherKeySameKid = TestTokens.newRsaKey("site-key-1");
        jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, TestTokens.jwks(rsaKey));
    }

    static TokenVerifier verifier(final Optional<String> secret, final Optional<Path> jwks) {
        return TokenVerifier.fromConfig(new AuthConfig(secret, jwks, Duration.ofSeconds(30)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static TokenVerifier both() {
        return verifier(Optional.of(SECRET), Optional.of(jwksFile));
    }

    static JWTClaimsSet claims() {
        return TestTokens.claims("alice", null, List.of("p1", "p2"), List.of("worker"), List.of("electrician"), ISSUED, TTL);
    }

    static JWTClaimsSet.Builder claimsBuilder() {
        return new JWTClaimsSet.Builder(claims());
    }

    static String b64(final String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String unauthorizedMessage(final TokenVerifier verifier, final String token) {
        try {
            verifier.verify(token);
        } catch (final AuthException e) {
            assertThat(e.code()).isEqualTo("unauthorized");
            if (token != null && token.length() > 8) {
                assertThat(e.getMessage()).doesNotContain(token);
            }
            return e.getMessage();
        }
        throw new AssertionError("token was accepted");
    }

    @Test
    void validHs256TokenGivesItsPrincipal() throws AuthException {
        // Given an HS256 token for a worker of two projects
        final String token = TestTokens.sign(claims(), SECRET);

        // When it is verified
        final Principal principal = both().verify(token);

        // Then every claim is in the principal, workerId defaulting to sub
        assertThat(principal.subject()).isEqualTo("alice");
        assertThat(principal.projects()).containsExactlyInAnyOrder("p1", "p2");
        assertThat(principal.roles()).containsExactly(Role.WORKER);
        assertThat(principal.trades()).containsExactly("electrician");
        assertThat(principal.workerId()).isEqualTo("alice");
        assertThat(principal.expiresAt()).isEqualTo(ISSUED.plus(TTL));
        assertThat(principal.isDeviceOnly()).isFalse();
    }

    @Test
    void validRs256TokenFromTheJwksFileGivesItsPrincipal() throws AuthException {
        // Given an RS256 token with a workerId claim, signed by the key in the JWKS file
        final String token = TestTokens.sign(TestTokens.claims("idp|123", "w-7", List.of("p1"),
                List.of("worker", "device"), List.of(), ISSUED, TTL), rsaKey);

        // When it is verified by an RS256-only verifier
        final Principal principal = verifier(Optional.empty(), Optional.of(jwksFile)).verify(token);

        // Then
        assertThat(principal.subject()).isEqualTo("idp|123");
        assertThat(principal.workerId()).isEqualTo("w-7");
        assertThat(principal.roles()).containsExactlyInAnyOrder(Role.WORKER, Role.DEVICE);
        assertThat(principal.trades()).isEmpty();
    }

    @Test
    void testTokensConvenienceMethodsMakeTokensThatVerifyNow() throws AuthException {
        final TokenVerifier systemClock = TokenVerifier.fromConfig(new AuthConfig(Optional.of(SECRET), Optional.of(jwksFile),
                Duration.ZERO));
        assertThat(systemClock.verify(TestTokens.hs256(SECRET, "dev-1", List.of("p9"), List.of("device"), List.of(),
                Duration.ofMinutes(5))).isDeviceOnly()).isTrue();
        assertThat(systemClock.verify(TestTokens.rs256(rsaKey, "bob", "w-9", List.of("p9"), List.of("supervisor"),
                List.of(), Duration.ofMinutes(5))).workerId()).isEqualTo("w-9");
    }

    @Test
    void badSignaturesAreRefused() throws Exception {
        final TokenVerifier verifier = both();
        // another secret
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(claims(), "another-secret-that-is-also-32-bytes-long")))
                .isEqualTo("bad token signature");
        // another RSA key that claims the same kid
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(claims(), otherKeySameKid)))
                .isEqualTo("bad token signature");
        // a valid token whose payload was swapped for more privileges, keeping the signature
        final String[] parts = TestTokens.sign(claims(), SECRET).split("\\.");
        final String forged = parts[0] + "." + b64(claimsBuilder().claim("roles", List.of("manager")).build().toString())
                + "." + parts[2];
        assertThat(unauthorizedMessage(verifier, forged)).isEqualTo("bad token signature");
        // the signature cut off
        assertThat(unauthorizedMessage(verifier, parts[0] + "." + parts[1] + ".")).startsWith("malformed token");
    }

    @Test
    void expiryHonoursTheClockSkew() throws AuthException {
        final TokenVerifier verifier = both();
        final String expired31sAgo = TestTokens.sign(claimsBuilder().expirationTime(Date.from(NOW.minusSeconds(31))).build(), SECRET);
        final String expired29sAgo = TestTokens.sign(claimsBuilder().expirationTime(Date.from(NOW.minusSeconds(29))).build(), SECRET);

        assertThat(unauthorizedMessage(verifier, expired31sAgo)).isEqualTo("token expired");
        assertThat(verifier.verify(expired29sAgo).subject()).isEqualTo("alice");
    }

    @Test
    void notBeforeHonoursTheClockSkew() throws AuthException {
        final TokenVerifier verifier = both();
        final String in31s = TestTokens.sign(claimsBuilder().notBeforeTime(Date.from(NOW.plusSeconds(31))).build(), SECRET);
        final String in29s = TestTokens.sign(claimsBuilder().notBeforeTime(Date.from(NOW.plusSeconds(29))).build(), SECRET);

        assertThat(unauthorizedMessage(verifier, in31s)).contains("not valid yet");
        assertThat(verifier.verify(in29s).subject()).isEqualTo("alice");
    }

    @Test
    void missingExpIsRefused() {
        final String token = TestTokens.sign(claimsBuilder().expirationTime(null).build(), SECRET);
        assertThat(unauthorizedMessage(both(), token)).isEqualTo("token has no exp (expiry) claim");
    }

    @Test
    void algNoneIsRefusedInEverySpelling() {
        final TokenVerifier verifier = both();
        // A proper unsecured JWT
        assertThat(unauthorizedMessage(verifier, new PlainJWT(claims()).serialize())).contains("alg none");
        // Hand-made, with a signature part and odd capitalisation
        final String payload = b64(claims().toString());
        assertThat(unauthorizedMessage(verifier, b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".c2ln"))
                .contains("alg none");
        assertThat(unauthorizedMessage(verifier, b64("{\"alg\":\"None\"}") + "." + payload + ".")).contains("alg none");
        assertThat(unauthorizedMessage(verifier, b64("{\"alg\":\"NONE\"}") + "." + payload + ".c2ln")).contains("alg none");
        assertThat(unauthorizedMessage(verifier, b64("{\"typ\":\"JWT\"}") + "." + payload + ".")).contains("malformed");
    }

    @Test
    void anHs256TokenMacedWithTheRsaPublicKeyIsRefused() throws Exception {
        // Given the forms an attacker could use as the HMAC secret: the public key's DER, its PEM, the JWKS text
        final byte[] der = rsaKey.toRSAPublicKey().getEncoded();
        final String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        final List<byte[]> secrets = List.of(der, pem.getBytes(StandardCharsets.US_ASCII),
                Files.readAllBytes(jwksFile), rsaKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8));
        for (final byte[] secret : secrets) {
            final SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsaKey.getKeyID()).build(), claims());
            confused.sign(new MACSigner(secret));

            // Then a verifier with both algorithms finds the signature bad, and an RS256-only one refuses the algorithm
            assertThat(unauthorizedMessage(both(), confused.serialize())).isEqualTo("bad token signature");
            assertThat(unauthorizedMessage(verifier(Optional.empty(), Optional.of(jwksFile)), confused.serialize()))
                    .isEqualTo("token algorithm 'HS256' is not accepted (accepted: RS256)");
        }
    }

    @Test
    void algorithmsThatAreNotConfiguredAreRefused() throws Exception {
        // RS256 token, HS256-only verifier
        assertThat(unauthorizedMessage(verifier(Optional.of(SECRET), Optional.empty()), TestTokens.sign(claims(), rsaKey)))
                .isEqualTo("token algorithm 'RS256' is not accepted (accepted: HS256)");
        // HS512 with the right secret is still not HS256
        final SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims());
        hs512.sign(new MACSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(unauthorizedMessage(both(), hs512.serialize())).contains("'HS512' is not accepted");
    }

    @Test
    void unknownOrMissingKidIsRefused() {
        final RSAKey stranger = TestTokens.newRsaKey("not-in-the-file");
        assertThat(unauthorizedMessage(both(), TestTokens.sign(claims(), stranger)))
                .isEqualTo("unknown key id (kid) 'not-in-the-file'");
        assertThat(unauthorizedMessage(both(), TestTokens.sign(claims(), new RSAKey.Builder(rsaKey).keyID(null).build())))
                .contains("without a kid");
    }

    @Test
    void unknownRolesAreNamedInTheMessage() {
        final String token = TestTokens.sign(claimsBuilder().claim("roles", List.of("worker", "admin", "root\n")).build(), SECRET);
        assertThat(unauthorizedMessage(both(), token))
                .isEqualTo("unknown roles 'admin', 'root?' in the roles claim (known: worker, supervisor, safety_officer, manager, device)");
        final String upper = TestTokens.sign(claimsBuilder().claim("roles", List.of("WORKER")).build(), SECRET);
        assertThat(unauthorizedMessage(both(), upper)).contains("unknown role 'WORKER'");
    }

    @Test
    void claimsOfTheWrongShapeAreRefused() {
        final Map<String, Object> wrong = new java.util.LinkedHashMap<>();
        wrong.put("projects", "p1");
        wrong.put("roles", List.of());
        wrong.put("trades", List.of(1, 2));
        wrong.put("workerId", 42);
        final Map<String, String> expected = Map.of(
                "projects", "claim projects must be an array of strings",
                "roles", "token has no roles (a non-empty array of strings is required)",
                "trades", "claim trades must be an array of strings",
                "workerId", "claim workerId must be a string");
        wrong.forEach((claim, value) -> assertThat(unauthorizedMessage(both(),
                TestTokens.sign(claimsBuilder().claim(claim, value).build(), SECRET))).as(claim).isEqualTo(expected.get(claim)));

        assertThat(unauthorizedMessage(both(), TestTokens.sign(claimsBuilder().claim("projects", null).build(), SECRET)))
                .contains("no projects");
        assertThat(unauthorizedMessage(both(), TestTokens.sign(claimsBuilder().claim("projects", List.of("p:1")).build(), SECRET)))
                .contains("not a valid id");
        assertThat(unauthorizedMessage(both(), TestTokens.sign(claimsBuilder().subject(null).build(), SECRET)))
                .contains("no usable sub");
    }

    @Test
    void aNonNumericExpIsMalformedClaims() throws Exception {
        // JWTClaimsSet cannot even be built with a string exp, so the token is made by hand and MACed correctly
        final String header = b64("{\"alg\":\"HS256\"}");
        final String payload = b64("{\"sub\":\"alice\",\"exp\":\"tomorrow\",\"projects\":[\"p1\"],\"roles\":[\"worker\"]}");
        final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        final String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        assertThat(unauthorizedMessage(both(), header + "." + payload + "." + signature)).contains("malformed token claims");
    }

    @Test
    void tooLongEmptyAndEncryptedTokensAreRefused() {
        assertThat(unauthorizedMessage(both(), "a".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1))).contains("longer than");
        assertThat(unauthorizedMessage(both(), " ")).isEqualTo("no token");
        assertThatThrownBy(() -> both().verify(null)).isInstanceOf(AuthException.class).hasMessage("no token");
        final String jweHeader = b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}");
        assertThat(unauthorizedMessage(both(), jweHeader + "..aXY.Y2lwaGVy.dGFn")).contains("encrypted tokens");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws AuthException {
        // Given a verifier for tokens of issuer "https://idp.site" meant for "sitewire"
        final TokenVerifier verifier = TokenVerifier.fromConfig(new AuthConfig(Optional.of(SECRET), Optional.empty(),
                Duration.ofSeconds(30), Optional.of("https://idp.site"), Optional.of("sitewire")), Clock.fixed(NOW, ZoneOffset.UTC));
        final JWTClaimsSet.Builder right = claimsBuilder().issuer("https://idp.site").audience(List.of("payroll", "sitewire"));

        // Then only a token with both passes
        assertThat(verifier.verify(TestTokens.sign(right.build(), SECRET)).subject()).isEqualTo("alice");
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(claims(), SECRET))).isEqualTo("token issuer (iss) is not https://idp.site");
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(new JWTClaimsSet.Builder(right.build()).issuer("https://evil").build(), SECRET)))
                .isEqualTo("token issuer (iss) is not https://idp.site");
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(new JWTClaimsSet.Builder(right.build()).audience("payroll").build(), SECRET)))
                .isEqualTo("token audience (aud) does not include sitewire");
        assertThat(unauthorizedMessage(verifier, TestTokens.sign(new JWTClaimsSet.Builder(right.build()).audience((String) null).build(), SECRET)))
                .isEqualTo("token audience (aud) does not include sitewire");
        // And without the settings, iss and aud are not looked at
        assertThat(both().verify(TestTokens.sign(new JWTClaimsSet.Builder(right.build()).issuer("https://evil").build(), SECRET))
                .subject()).isEqualTo("alice");
    }

    @Test
    void bearerExtractsTheTokenOfABearerHeaderOnly() {
        assertThat(TokenVerifier.bearer("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
        assertThat(TokenVerifier.bearer("bearer   abc.def.ghi  ")).isEqualTo("abc.def.ghi");
        assertThat(TokenVerifier.bearer("BEARER x")).isEqualTo("x");
        assertThat(TokenVerifier.bearer(null)).isNull();
        assertThat(TokenVerifier.bearer("")).isNull();
        assertThat(TokenVerifier.bearer("Bearer ")).isNull();
        assertThat(TokenVerifier.bearer("Bearer")).isNull();
        assertThat(TokenVerifier.bearer("Basic YWxpY2U6c2VjcmV0")).isNull();
        assertThat(TokenVerifier.bearer("Bearerabc")).isNull();
    }

    @Test
    void aRotatedJwksFileIsPickedUpAndRemovedKeysStopWorking(@TempDir final Path own) throws Exception {
        // Given a verifier on a JWKS file with key A
        final RSAKey a = TestTokens.newRsaKey("rot-a");
        final RSAKey b = TestTokens.newRsaKey("rot-b");
        final Path file = own.resolve("jwks.json");
        Files.writeString(file, TestTokens.jwks(a));
        final MutableClock clock = new MutableClock(NOW);
        final TokenVerifier verifier = TokenVerifier.fromConfig(new AuthConfig(Optional.empty(), Optional.of(file),
                Duration.ofSeconds(30)), clock);
        final String tokenA = TestTokens.sign(claims(), a);
        final String tokenB = TestTokens.sign(claims(), b);
        assertThat(verifier.verify(tokenA).subject()).isEqualTo("alice");

        // When the file is replaced by one with key B only
        Files.writeString(file, TestTokens.jwks(b));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(NOW.plusSeconds(1)));

        // Then B is unknown until the miss re-check interval, then accepted
        assertThat(unauthorizedMessage(verifier, tokenB)).contains("unknown key id");
        clock.advance(JwksKeys.RECHECK_ON_MISS_EVERY);
        assertThat(verifier.verify(tokenB).subject()).isEqualTo("alice");
        // And A, gone from the file, is refused at once (the file was reloaded)
        assertThat(unauthorizedMessage(verifier, tokenA)).contains("unknown key id");
    }

    @Test
    void aJwksFileWithoutUsableKeysIsAConfigurationError(@TempDir final Path own) throws Exception {
        final Path missing = own.resolve("missing.json");
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(missing)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auth.jwks.file").hasMessageContaining("cannot be read");

        final Path weak = own.resolve("weak.json");
        final java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        final java.security.interfaces.RSAPublicKey weakKey =
                (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
        Files.writeString(weak, new com.nimbusds.jose.jwk.JWKSet(new RSAKey.Builder(weakKey).keyID("weak").build()).toString());
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(weak)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usable RS256 key");

        final Path notJson = own.resolve("not.json");
        Files.writeString(notJson, "hello");
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(notJson)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JWKS document");

        final Path twice = own.resolve("twice.json");
        Files.writeString(twice, TestTokens.jwks(rsaKey, otherKeySameKid));
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(twice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two keys with kid site-key-1");
    }

    @Test
    void principalHelpers() {
        final Principal both = new Principal("d", Set.of("p1"), Set.of(Role.DEVICE, Role.WORKER), Set.of(), "d", NOW);
        assertThat(both.isDeviceOnly()).isFalse();
        assertThat(both.hasAny(Role.MANAGER, Role.WORKER)).isTrue();
        assertThat(both.hasAny(Role.MANAGER)).isFalse();
        assertThat(new Principal("d", Set.of("p1"), Set.of(Role.DEVICE), Set.of(), "d", NOW).isDeviceOnly()).isTrue();
    }
}
