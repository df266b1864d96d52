package dev.tern.local.runtime.kafka;

import java.nio.file.Path;
import java.util.Map;

/**
 * Two more listeners for a {@link KafkaBroker}, beside its PLAINTEXT one (which stays for the
 * controller, inter-broker traffic and test set-up): {@code SASL_SSL} with SCRAM-SHA-512 for
 * {@link #scramUsers}, and {@code SSL} that requires a client certificate signed by a CA in
 * {@link #truststore}. Both present the server identity in {@link #keystore}.
 *
 * <p>This module cannot make certificates (the test kit, which depends on it, can): the caller
 * passes PKCS12 files and their one password. SCRAM users are written when the storage is
 * formatted, so they exist from the first request.
 *
 * @param keystore      PKCS12 with the broker's key and certificate (valid for 127.0.0.1)
 * @param truststore    PKCS12 with the CA that signs client certificates
 * @param storePassword password of both stores and of the key
 * @param scramUsers    SCRAM-SHA-512 user name → password; names and passwords without {@code , [ ] = "}
 * @param saslSslPort   port of the {@code SASL_SSL} listener; 0: the one used last time in the data directory, else a free one
 * @param sslPort       port of the {@code SSL} listener; 0 as for {@code saslSslPort}
 */
public record SecuredListeners(Path keystore, Path truststore, String storePassword, Map<String, String> scramUsers,
        int saslSslPort, int sslPort) {

    /** On free ports (or those of the last start in the same data directory). */
    public SecuredListeners(Path keystore, Path truststore, String storePassword, Map<String, String> scramUsers) {
        this(keystore, truststore, storePassword, scramUsers, 0, 0);
    }

    public SecuredListeners {
        keystore = keystore.toAbsolutePath();
        truststore = truststore.toAbsolutePath();
        scramUsers = Map.copyOf(scramUsers);
        scramUsers.forEach((name, password) -> {
            if ((name + password).matches(".*[,\\[\\]=\"\\s].*")) {
                throw new IllegalArgumentException("SCRAM user " + name + ": name or password has a character"
                        + " the storage tool cannot take");
            }
        });
    }
}
