package dev.tern.common.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * SMTP AUTH users from an htpasswd file with bcrypt hashes ({@code user:$2y$10$...}, as written by
 * {@code htpasswd -B}). Other hash kinds are refused at load time, naming the line, because MD5 and
 * crypt(3) hashes are too weak to keep. Immutable; reload by loading again.
 *
 * <p>An optional third field lists what the user may send as ({@link SenderSet}:
 * {@code user:<hash>:alice@example.org,@example.net}); ingress then refuses other MAIL FROM and
 * From addresses with 553 5.7.1 and DKIM-signs only the domains the user owns. A user without
 * that field may use any sender address, as before, but is never DKIM-signed for: the key
 * vouches for a whole domain, and nothing says the user speaks for one.
 */
public final class UsersFile {

    /** A hash verified against when the user is unknown, so timing does not reveal which users exist. */
    private static final String DUMMY = OpenBSDBCrypt.generate("2y", "unused".toCharArray(), new byte[16], 10);

    private final Map<String, String> hashes;
    private final Map<String, SenderSet> senders;

    private UsersFile(Map<String, String> hashes, Map<String, SenderSet> senders) {
        this.hashes = Map.copyOf(hashes);
        this.senders = Map.copyOf(senders);
    }

    public static UsersFile empty() {
        return new UsersFile(Map.of(), Map.of());
    }

    public static UsersFile load(Path file) {
        try {
            var map = new HashMap<String, String>();
            var senders = new HashMap<String, SenderSet>();
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int colon = t.indexOf(':');
                String rest = colon < 0 ? "" : t.substring(colon + 1);
                int second = rest.indexOf(':');
                String hash = second < 0 ? rest : rest.substring(0, second);
                if (colon <= 0 || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw new PolicyException("relay.users-file", file + " line " + n
                            + ": expected user:<bcrypt hash>[:<address or @domain>,...] (htpasswd -B)");
                }
                String user = t.substring(0, colon);
                map.put(user, hash);
                if (second >= 0) {
                    SenderSet allowed = SenderSet.parse(rest.substring(second + 1));
                    if (allowed == null) {
                        throw new PolicyException("relay.users-file", file + " line " + n
                                + ": the third field must list addresses or @domains, separated by commas");
                    }
                    senders.put(user, allowed);
                }
            }
            return new UsersFile(map, senders);
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

    /** What {@code user} may send as; empty when the users file sets no limit for it. */
    public Optional<SenderSet> sendersOf(String user) {
        return Optional.ofNullable(senders.get(user));
    }

    public int size() {
        return hashes.size();
    }
}
