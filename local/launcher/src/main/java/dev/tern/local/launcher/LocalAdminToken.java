package dev.tern.local.launcher;

import dev.tern.common.admin.AdminTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API token of a local cluster (docs/ARCHITECTURE.md, "Admin API security"): the
 * tokens file every service reads ({@code tern.admin.tokens-file}).
 *
 * <p>{@code TERN_ADMIN_TOKENS_FILE} in the launcher's environment names that file, and tern-local
 * uses it as it is. Otherwise an operator token is made at the first start (32 random bytes from
 * {@link SecureRandom}, base64url) and kept in {@code <data>/admin/operator-token}, readable only by
 * its owner, with the tokens file holding its hash beside it ({@code <data>/admin/tokens}); later
 * starts reuse it, so scripts keep working across restarts ({@code --wipe} makes a new one).
 *
 * @param tokensFile the file the services read
 * @param tokenFile  where the generated token is, or null when the tokens file came from the environment
 */
public record LocalAdminToken(Path tokensFile, Path tokenFile) {

    public static final String ENV = "TERN_ADMIN_TOKENS_FILE";
    static final String NAME = "local-operator";

    /** The environment's tokens file, or the data directory's generated token (made now if missing). */
    public static LocalAdminToken prepare(Path dataDir, Map<String, String> env) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return new LocalAdminToken(Path.of(configured).toAbsolutePath(), null);
        }
        Path dir = dataDir.resolve("admin").toAbsolutePath();
        Path tokenFile = dir.resolve("operator-token");
        Path tokensFile = dir.resolve("tokens");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            String token = Files.exists(tokenFile) ? Files.readString(tokenFile).strip() : "";
            if (token.isEmpty()) {
                token = generate();
                writeOwnerOnly(tokenFile, token + "\n");
            }
            writeOwnerOnly(tokensFile, "# written by tern-local from " + tokenFile.getFileName() + "\n"
                    + AdminTokens.sha256Hex(token) + " operator " + NAME + "\n");
        } catch (IOException e) {
            throw new LaunchException("cannot write the admin token in " + dir + ": " + e.getMessage());
        }
        return new LocalAdminToken(tokensFile, tokenFile);
    }

    /** The generated operator token; empty when the tokens file came from the environment. */
    public Optional<String> token() {
        if (tokenFile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(tokenFile).strip());
        } catch (IOException e) {
            throw new LaunchException("cannot read the admin token " + tokenFile + ": " + e.getMessage());
        }
    }

    /** The banner's lines about the admin API: where the token is, and a curl that uses it. */
    String banner(int deliveryHttpPort) {
        if (tokenFile == null) {
            return "  admin       tokens from $" + ENV + " (" + tokensFile + ")\n";
        }
        return "  admin       operator token in " + tokenFile + "\n"
                + "              curl -H \"Authorization: Bearer $(cat " + tokenFile + ")\" http://127.0.0.1:"
                + deliveryHttpPort + "/admin/queues\n";
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Created owner-only before anything is written, so the token is never readable by others. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
