package dev.tern.local.runtime.infinispan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What makes an {@link InfinispanServer} secured: its Hot Rod endpoint requires TLS (the server
 * identity is the PKCS12 {@code keystore}) and SASL authentication against a properties realm
 * holding {@code users}, and, with {@code authorization}, the cache container enforces
 * authorization with Infinispan's default roles ({@code admin}, {@code deployer},
 * {@code application}, {@code observer}, {@code monitor}), a user's roles being its groups.
 *
 * <p>The runtime cannot depend on the test PKI (local/testkit depends on the runtime), so the
 * caller brings the keystore.
 *
 * @param keystore PKCS12 store with the server's key and certificate chain
 * @param keystorePassword password of {@code keystore} and of its key
 * @param users the realm's accounts; the first one is also the one the start-up probe logs in with
 * @param authorization whether the cache container enforces authorization (the Infinispan
 *     Operator's default is authentication without it)
 */
public record InfinispanSecurity(Path keystore, String keystorePassword, List<User> users, boolean authorization) {

    /** Realm name the server announces; Hot Rod clients default to it for DIGEST mechanisms. */
    public static final String REALM = "default";

    public InfinispanSecurity {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a secured server needs at least one user");
        }
        users = List.copyOf(users);
    }

    /** One account: plain-text password (the server hashes as each SASL mechanism needs) and roles. */
    public record User(String name, String password, List<String> roles) {
        public User {
            roles = List.copyOf(roles);
        }
    }

    /** The user the server's start-up probe authenticates as. */
    User probeUser() {
        return users.get(0);
    }

    /** Writes the keystore, {@code users.properties} and {@code groups.properties} into {@code conf}. */
    void writeTo(Path conf) {
        try {
            Files.copy(keystore, conf.resolve("server.p12"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(conf.resolve("users.properties"), users.stream()
                    .map(u -> escape(u.name()) + "=" + escape(u.password()))
                    .collect(Collectors.joining("\n", "#$REALM_NAME=" + REALM + "$\n", "\n")), StandardCharsets.UTF_8);
            Files.writeString(conf.resolve("groups.properties"), users.stream()
                    .map(u -> escape(u.name()) + "=" + String.join(",", u.roles()))
                    .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the security files of the Infinispan server in " + conf, e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:");
    }
}
