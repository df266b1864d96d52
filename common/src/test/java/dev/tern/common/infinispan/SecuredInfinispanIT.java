package dev.tern.common.infinispan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.common.journal.InfinispanDeliveryJournal;
import dev.tern.common.policy.Rate;
import dev.tern.common.shaping.InfinispanRateLimiter;
import dev.tern.common.suppression.InfinispanSuppressionList;
import dev.tern.local.testkit.tls.SecuredInfinispan;
import dev.tern.local.testkit.tls.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern's Hot Rod client ({@link HotRodSettings}, {@link ServerCache}) against a real Infinispan
 * server that requires TLS and SASL and enforces authorization ({@link SecuredInfinispan}).
 */
class SecuredInfinispanIT {

    static SecuredInfinispan server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = SecuredInfinispan.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestInfinispanConfig tern() {
        return TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.TERN_USER, SecuredInfinispan.PASSWORD)
                .withTrust(server.pki().caPem(), null);
    }

    private static RemoteCacheManager client(TestInfinispanConfig config) {
        return new RemoteCacheManager(HotRodSettings.from(config));
    }

    @Test
    void pemTruststoreAndScramReadAndWriteTheJournalSuppressionAndShapingCaches() throws Exception {
        try (RemoteCacheManager manager = client(tern())) {
            var journal = new InfinispanDeliveryJournal(manager, "tern-journal-sec", Duration.ofHours(1));
            await(journal.recordDelivered("m1", List.of("a@x.test")));
            assertThat(await(journal.delivered("m1", List.of("a@x.test", "b@x.test")))).isEqualTo(Set.of("a@x.test"));

            var suppression = new InfinispanSuppressionList(manager, "tern-suppression-sec", Clock.systemUTC());
            await(suppression.add("bad@x.test", "5.1.1 no such user", Instant.now().plusSeconds(3600)));
            assertThat(await(suppression.lookup("bad@x.test"))).isPresent();

            var rates = new InfinispanRateLimiter(manager, "tern-rates-sec", Duration.ofSeconds(1), Clock.systemUTC());
            assertThat(await(rates.acquire("x.test", new Rate(10, Duration.ofSeconds(1)), 1)).granted()).isEqualTo(1);
        }
    }

    @Test
    void pkcs12TruststoreAndPasswordFileWork() throws Exception {
        Path secret = Files.writeString(dir.resolve("password"), SecuredInfinispan.PASSWORD + "\n");
        var config = TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.TERN_USER, "not this one")
                .withPasswordFile(secret)
                .withTrust(server.pki().truststore(), TestPki.PASSWORD);
        try (RemoteCacheManager manager = client(config)) {
            var cache = new ServerCache(manager, "tern-p12-" + System.nanoTime());
            await(cache.call(c -> c.putAsync("k", "v")));
            assertThat(get(cache)).isEqualTo("v");
        }
    }

    @Test
    void digestMd5WorksToo() throws Exception {
        try (RemoteCacheManager manager = client(tern().withMechanism("DIGEST-MD5"))) {
            var cache = new ServerCache(manager, "tern-digest-" + System.nanoTime());
            await(cache.call(c -> c.putAsync("k", "v")));
            assertThat(get(cache)).isEqualTo("v");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() {
        TestPki other = TestPki.create(dir.resolve("other-ca"));
        var config = TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.TERN_USER, SecuredInfinispan.PASSWORD)
                .withTrust(other.caPem(), null);
        try (RemoteCacheManager manager = client(config)) {
            assertThatThrownBy(manager::getCacheNames)
                    .satisfies(e -> assertThat(HotRodFailures.misconfiguration(e)).hasValueSatisfying(
                            line -> assertThat(line).startsWith("TLS handshake with Infinispan failed")));
        }
    }

    @Test
    void aWrongPasswordIsReportedAsRefusedCredentials() {
        var config = TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.TERN_USER, "wrong")
                .withTrust(server.pki().caPem(), null);
        try (RemoteCacheManager manager = client(config)) {
            assertThatThrownBy(manager::getCacheNames)
                    .satisfies(e -> assertThat(HotRodFailures.misconfiguration(e)).hasValueSatisfying(
                            line -> assertThat(line).startsWith("Infinispan refused Tern's credentials")
                                    .doesNotContain("wrong")));
        }
    }

    @Test
    void ternsCachesAreClosedToUsersWithoutARole() throws Exception {
        String name = "tern-authz-" + System.nanoTime();
        try (RemoteCacheManager manager = client(tern())) {
            await(new ServerCache(manager, name).call(c -> c.putAsync("k", "v")));
        }
        var nobody = TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.NO_ROLE_USER, SecuredInfinispan.PASSWORD)
                .withTrust(server.pki().caPem(), null);
        try (RemoteCacheManager manager = client(nobody)) {
            var cache = new ServerCache(manager, name);
            assertThatThrownBy(() -> await(cache.call(c -> c.getAsync("k"))))
                    .hasMessageContaining("Unauthorized access");
        }
    }

    @Test
    void theApplicationRoleUsesCachesCreatedBeforehandButCannotCreateThem() throws Exception {
        String name = "tern-precreated-" + System.nanoTime();
        try (RemoteCacheManager manager = client(tern())) {
            await(new ServerCache(manager, name).call(c -> c.putAsync("k", "v")));
        }
        var application = TestInfinispanConfig.of(server.hosts())
                .withCredentials(SecuredInfinispan.APPLICATION_USER, SecuredInfinispan.PASSWORD)
                .withTrust(server.pki().caPem(), null);
        try (RemoteCacheManager manager = client(application)) {
            var cache = new ServerCache(manager, name);
            assertThat(get(cache)).isEqualTo("v");
            await(cache.call(c -> c.putAsync("k", "w")));
            assertThat(get(cache)).isEqualTo("w");

            var missing = new ServerCache(manager, "tern-never-created-" + System.nanoTime());
            assertThatThrownBy(() -> await(missing.call(c -> c.getAsync("k"))))
                    .hasMessageContaining("lacks 'CREATE' permission");
        }
    }

    @Test
    void aServerWithoutAuthorizationGetsTheCachesWithoutIt() throws Exception {
        try (SecuredInfinispan plain = SecuredInfinispan.startWithoutAuthorization();
                RemoteCacheManager manager = client(TestInfinispanConfig.of(plain.hosts())
                        .withCredentials(SecuredInfinispan.TERN_USER, SecuredInfinispan.PASSWORD)
                        .withTrust(plain.pki().caPem(), null))) {
            var cache = new ServerCache(manager, "tern-no-authz-" + System.nanoTime());
            await(cache.call(c -> c.putAsync("k", "v")));
            assertThat(get(cache)).isEqualTo("v");
        }
    }

    private static String get(ServerCache cache) throws Exception {
        return await(cache.call(c -> c.getAsync("k")));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
