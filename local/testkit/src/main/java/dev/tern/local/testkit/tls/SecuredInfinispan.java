package dev.tern.local.testkit.tls;

import dev.tern.local.runtime.infinispan.InfinispanSecurity;
import dev.tern.local.runtime.infinispan.InfinispanServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Infinispan server for tests of Tern's secured Hot Rod client: TLS with a certificate
 * from a fresh {@link TestPki}, SASL against a properties realm, authorization with Infinispan's
 * default roles. Its users:
 * <ul>
 * <li>{@link #TERN_USER}, role {@code deployer}: what Tern needs when it creates its caches;</li>
 * <li>{@link #APPLICATION_USER}, role {@code application}: read and write, no cache creation;</li>
 * <li>{@link #NO_ROLE_USER}: authenticates, may do nothing.</li>
 * </ul>
 * Start one per test class (about ten seconds); {@link #close} stops the server.
 */
public final class SecuredInfinispan implements AutoCloseable {

    public static final String TERN_USER = "tern";
    public static final String APPLICATION_USER = "tern-app";
    public static final String NO_ROLE_USER = "nobody";
    /** Every user's password. */
    public static final String PASSWORD = "s3cret-Hot-Rod";

    private final TestPki pki;
    private final InfinispanServer server;

    private SecuredInfinispan(TestPki pki, InfinispanServer server) {
        this.pki = pki;
        this.server = server;
    }

    /** A new CA and server certificate for {@code localhost}/{@code 127.0.0.1}, and the server. */
    public static SecuredInfinispan start() {
        return start(true);
    }

    /** Like {@link #start()}, but the server authenticates and does not enforce authorization. */
    public static SecuredInfinispan startWithoutAuthorization() {
        return start(false);
    }

    private static SecuredInfinispan start(boolean authorization) {
        try {
            Path dir = Files.createTempDirectory("tern-secured-infinispan");
            TestPki pki = TestPki.create(dir.resolve("pki"));
            var security = new InfinispanSecurity(pki.server("infinispan"), TestPki.PASSWORD, List.of(
                    new InfinispanSecurity.User(TERN_USER, PASSWORD, List.of("deployer")),
                    new InfinispanSecurity.User(APPLICATION_USER, PASSWORD, List.of("application")),
                    new InfinispanSecurity.User(NO_ROLE_USER, PASSWORD, List.of())), authorization);
            return new SecuredInfinispan(pki, InfinispanServer.startSecured(dir.resolve("server"), security));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hosts() {
        return server.hosts();
    }

    /** The CA that signed the server's certificate ({@link TestPki#caPem()}, {@link TestPki#truststore()}). */
    public TestPki pki() {
        return pki;
    }

    public InfinispanServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
