package dev.tern.local.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Admin API tokens for tests: one {@link #OPERATOR} and one {@link #VIEWER} token, in a tokens file
 * ({@code <sha256-hex> <role> <name>} lines, docs/ARCHITECTURE.md "Admin API security") written
 * once per JVM. {@link TernClusterResource} passes it to every service under test as
 * {@code tern.admin.tokens-file}, so tests call {@code /admin} with {@link #bearer}.
 */
public final class TestAdminTokens {

    public static final String OPERATOR = "test-operator-token-7f3a";
    public static final String OPERATOR_NAME = "test-operator";
    public static final String VIEWER = "test-viewer-token-41c9";
    public static final String VIEWER_NAME = "test-viewer";
    public static final String KEY = "tern.admin.tokens-file";

    private static Path file;

    private TestAdminTokens() {
    }

    /** The tokens file listing both tokens, written on first use. */
    public static synchronized Path file() {
        if (file == null) {
            try {
                Path f = Files.createTempFile("tern-admin-tokens", ".txt");
                f.toFile().deleteOnExit();
                Files.writeString(f, "# test tokens\n" + line(OPERATOR, "operator", OPERATOR_NAME)
                        + line(VIEWER, "viewer", VIEWER_NAME));
                file = f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** {@code tern.admin.tokens-file} pointing at {@link #file()}. */
    public static Map<String, String> config() {
        return Map.of(KEY, file().toString());
    }

    /** The {@code Authorization} header value for {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A tokens-file line for {@code token}. */
    public static String line(String token, String role, String name) {
        return sha256Hex(token) + " " + role + " " + name + "\n";
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
