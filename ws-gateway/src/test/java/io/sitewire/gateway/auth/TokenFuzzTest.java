package io.sitewire.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random garbage and mutations of valid tokens: the verifier never throws anything but AuthException, and
 * no mutation of a valid token yields a different identity.
 */
class TokenFuzzTest {

    private static final long SEED = 20261125L;
    private static final int ROUNDS = 10_000;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}[]:,\\\u0000\u00e9\u20ac";
    private static final List<String> JSON_BITS = List.of("{", "}", "[", "]", ":", ",", "\"alg\"", "\"HS256\"", "\"RS256\"",
            "\"none\"", "\"kid\"", "\"site-key-1\"", "\"exp\"", "\"sub\"", "\"roles\"", "\"projects\"", "null", "true", "1e999",
            "-1", "99999999999999999999", "\"\\u0000\"", "\"crit\"", "[\"exp\"]", "\"jwk\"", "\"b64\"", "false");

    @TempDir
    static Path dir;
    static RSAKey key;
    static TokenVerifier verifier;
    static String validHs;
    static String validRs;

    @BeforeAll
    static void setUp() throws IOException {
        key = TestTokens.newRsaKey("site-key-1");
        final Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, TestTokens.jwks(key));
        verifier = TokenVerifier.fromConfig(new AuthConfig(Optional.of(TokenVerifierTest.SECRET), Optional.of(jwks),
                Duration.ofSeconds(30)), Clock.fixed(TokenVerifierTest.NOW, ZoneOffset.UTC));
        validHs = TestTokens.sign(TokenVerifierTest.claims(), TokenVerifierTest.SECRET);
        validRs = TestTokens.sign(TokenVerifierTest.claims(), key);
    }

    @Test
    void garbageAndMutatedTokensOnlyEverFailWithAuthException() throws AuthException {
        final Principal original = verifier.verify(validHs);
        final Random random = new Random(SEED);
        final String hsSigned = validHs.substring(0, validHs.lastIndexOf('.'));
        final String rsSigned = validRs.substring(0, validRs.lastIndexOf('.'));
        int acceptedVariants = 0;
        for (int round = 0; round < ROUNDS; round++) {
            final String token = switch (round % 5) {
                case 0 -> randomText(random, random.nextInt(300));
                case 1 -> mutate(random, validHs);
                case 2 -> mutate(random, validRs);
                case 3 -> b64(randomJson(random)) + "." + b64(randomJson(random)) + "." + randomText(random, random.nextInt(50));
                default -> spliced(random);
            };
            try {
                final Principal principal = verifier.verify(token);
                // Then it is one of the valid tokens: same signed content, same identity
                assertThat(principal).as("round %d accepted a token that is not the original identity", round).isEqualTo(original);
                assertThat(token.substring(0, token.lastIndexOf('.'))).as("round %d signed content", round).isIn(hsSigned, rsSigned);
                if (!token.equals(validHs) && !token.equals(validRs)) {
                    acceptedVariants++;
                }
            } catch (final AuthException e) {
                assertThat(e.code()).isEqualTo("unauthorized");
                assertThat(e.getMessage()).isNotBlank();
            } catch (final Throwable t) {
                throw new AssertionError("round " + round + " (seed " + SEED + ") threw " + t + " for token " + token, t);
            }
        }
        // A changed signature part is accepted only when it decodes to the same bytes (base64 padding bits)
        assertThat(acceptedVariants).isLessThan(ROUNDS / 200);
    }

    @Test
    void deeplyNestedHeadersAndClaimsAreRefusedNotCrashing() {
        for (final int depth : new int[] {100, 1_000, 2_000, 3_000}) {
            final String nested = "[".repeat(depth) + "]".repeat(depth);
            final String header = b64("{\"alg\":\"HS256\",\"x\":" + nested + "}");
            final String body = b64("{\"sub\":\"a\",\"x\":" + nested + "}");
            final String[] candidates = {header + "." + body + ".c2ln",
                    TestTokens.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(TokenVerifierTest.claims()).build(),
                            TokenVerifierTest.SECRET).split("\\.")[0] + "." + body + ".c2ln"};
            for (final String token : candidates) {
                try {
                    verifier.verify(token);
                    throw new AssertionError("accepted a nested token of depth " + depth);
                } catch (final AuthException e) {
                    assertThat(e.code()).isEqualTo("unauthorized");
                }
            }
        }
    }

    private static String spliced(final Random random) {
        final String[] hs = validHs.split("\\.");
        final String[] rs = validRs.split("\\.");
        return (random.nextBoolean() ? hs[0] : rs[0]) + "." + (random.nextBoolean() ? hs[1] : rs[1]) + "."
                + (random.nextBoolean() ? hs[2] : rs[2]);
    }

    private static String mutate(final Random random, final String token) {
        final StringBuilder out = new StringBuilder(token);
        final int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && out.length() > 0; i++) {
            final int at = random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> out.deleteCharAt(at);
                case 2 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> out.setLength(at);
            }
        }
        return out.toString();
    }

    private static String randomText(final Random random, final int length) {
        final StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static String randomJson(final Random random) {
        final StringBuilder out = new StringBuilder(random.nextBoolean() ? "{" : "");
        final int parts = random.nextInt(20);
        for (int i = 0; i < parts; i++) {
            out.append(JSON_BITS.get(random.nextInt(JSON_BITS.size())));
        }
        return out.toString();
    }

    private static String b64(final String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
