package io.sitewire.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HS256 secret of the local site's gateway: generated once and kept in the data folder, so tokens
 * printed by one run still work after a restart. SITEWIRE_AUTH_HS256_SECRET overrides it.
 */
final class GatewaySecret {

    private GatewaySecret() {
    }

    static String load(final Path dataDir, final String fromEnv) throws IOException {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        final Path file = dataDir.resolve("gateway-hs256.secret");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        final byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        final String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(dataDir);
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException e) {
            // not a POSIX file system: the file stays as created
        }
        return secret;
    }
}
