package dev.tern.common.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * SMTP AUTH users from an htpasswd file with bcrypt hashes ({@code user:$2y$10$...}, as written by
 * {@code htpasswd -B}). Other hash kinds are refused at load time, naming the line, because MD5 and
 * crypt(3) hashes are too weak to keep. Immutable; reload by loading again.
 */
public final class UsersFile {

    /** A hash verified against when the user is unknown, so timing does not reveal which users exist. */
    private static final String DUMMY = OpenBSDBCrypt.generate("2y", "unused".toCharArray(), new byte[16], 10);

    private final Map<String, String> hashes;

    private UsersFile(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    public static UsersFile empty() {
        return new UsersFile(Map.of());
    }

    public static UsersFile load(Path file) {
        try {
            var map = new HashMap<String, String>();
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int colon = t.indexOf(':');
                String hash = colon < 0 ? "" : t.substring(colon + 1);
                if (colon <= 0 || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw new PolicyException("relay.users-file", file + " line " + n
                            + ": expected user:<bcrypt hash> (htpasswd -B)");
                }
                map.put(t.substring(0, colon), hash);
            }
            return new UsersFile(map);
        } catch (IOException e) {
            throw new PolicyException("relay.users-file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Constant-work check: a bcrypt comparison runs whether or not the user exists. */
    public boolean verify(String user, String password) {
        String hash = hashes.get(user);
        boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? DUMMY : hash, password.toCharArray());
        return hash != null && ok;
    }

    public int size() {
        return hashes.size();
    }
}
