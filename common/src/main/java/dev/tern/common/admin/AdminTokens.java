package dev.tern.common.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin tokens in force: the parsed tokens file (docs/ARCHITECTURE.md, "Admin API security"),
 * or {@link #unconfigured()} when the service has none, which admits nobody.
 *
 * <p>File format, one token a line: {@code <sha256-hex-of-token> <viewer|operator> <name>}; blank
 * lines and lines starting with {@code #} are ignored; names are unique. Only hashes are stored, so
 * the file (and a leaked copy of it) does not hold a usable token. Immutable and thread-safe.
 */
public final class AdminTokens {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final AdminTokens UNCONFIGURED = new AdminTokens(List.of(), false);

    private final List<AdminToken> tokens;
    private final boolean configured;

    private AdminTokens(List<AdminToken> tokens, boolean configured) {
        this.tokens = List.copyOf(tokens);
        this.configured = configured;
    }

    /** No tokens file configured: every request is refused, and says why. */
    public static AdminTokens unconfigured() {
        return UNCONFIGURED;
    }

    /**
     * Parses a tokens file's text.
     *
     * @param source the file's path, for messages
     * @throws AdminTokensException naming the file, the line number and what is wrong with it
     */
    public static AdminTokens parse(String text, String source) {
        var tokens = new ArrayList<AdminToken>();
        var names = new HashSet<String>();
        var hashes = new HashSet<String>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new AdminTokensException(where + "expected '<sha256-hex-of-token> <viewer|operator> <name>', found "
                        + f.length + " fields");
            }
            if (!HEX64.matcher(f[0]).matches()) {
                throw new AdminTokensException(where + "the first field must be the token's SHA-256 as 64 hex digits"
                        + " (sha256sum of the token), not the token");
            }
            AdminRole role = AdminRole.named(f[1]);
            if (role == null) {
                // The value is not echoed: a token pasted in the wrong field must not reach the log.
                throw new AdminTokensException(where + "the second field (the role) must be viewer or operator");
            }
            if (!NAME.matcher(f[2]).matches()) {
                throw new AdminTokensException(where + "name '" + f[2] + "' must be 1-64 of A-Z a-z 0-9 . _ @ -");
            }
            if (!names.add(f[2])) {
                throw new AdminTokensException(where + "name '" + f[2] + "' is used twice");
            }
            if (!hashes.add(f[0].toLowerCase(java.util.Locale.ROOT))) {
                throw new AdminTokensException(where + "the same token hash is listed twice");
            }
            tokens.add(new AdminToken(HexFormat.of().parseHex(f[0]), role, f[2]));
        }
        return new AdminTokens(tokens, true);
    }

    /** False for {@link #unconfigured()}. */
    public boolean configured() {
        return configured;
    }

    public int size() {
        return tokens.size();
    }

    /**
     * The token whose hash matches {@code presented}'s, if any. Compares against every entry in
     * constant time (no early exit), so the time taken does not tell how close a guess came.
     */
    public Optional<AdminToken> match(String presented) {
        byte[] digest = sha256(presented);
        AdminToken found = null;
        for (AdminToken t : tokens) {
            if (MessageDigest.isEqual(digest, t.sha256()) && found == null) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The lowercase hex SHA-256 of a token's UTF-8 bytes: what its tokens-file line starts with. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
