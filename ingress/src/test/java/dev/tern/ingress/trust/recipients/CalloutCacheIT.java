package dev.tern.ingress.trust.recipients;

import static dev.tern.ingress.trust.recipients.CalloutCacheContract.await;
import static dev.tern.ingress.trust.recipients.TestPolicies.callout;
import static dev.tern.ingress.trust.recipients.TestPolicies.policy;
import static dev.tern.ingress.trust.recipients.TestPolicies.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.policy.Policy;
import dev.tern.ingress.trust.recipients.RecipientCheck.Outcome;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.TernClusterExtension;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.smtp.address.Mailbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callout verdicts shared between ingress pods through the real Infinispan server: two validators
 * with their own Hot Rod connections stand for two pods, and the LMTP sink's connection count
 * shows who called out.
 */
@ExtendWith(TernClusterExtension.class)
class CalloutCacheIT {

    /** Per test run, so verdicts left by an earlier run cannot answer for this one. */
    private static final String CACHE = InfinispanCalloutCache.CACHE + "-it-" + System.nanoTime();

    private final List<RemoteCacheManager> managers = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "callout-cache-test");
        t.setDaemon(true);
        return t;
    });
    private final RecipientsFileWatcher files = new RecipientsFileWatcher(Duration.ofHours(1));
    private final SmtpSink sink = SmtpSink.builder().lmtp().behaviour(RecipientCalloutIT.MAILBOXES).start();
    private final Policy policy = policy(Set.of("example.com"), null, callout(Duration.ofSeconds(10)),
            route("example.com", "lmtp://" + sink.address()));

    @AfterEach
    void close() {
        sink.close();
        files.close();
        executor.shutdownNow();
        managers.forEach(RemoteCacheManager::stop);
    }

    @Test
    void secondPodUsesTheFirstPodsVerdictsWithoutCallingOut() throws Exception {
        RecipientValidator podA = pod(TernClusterExtension.cluster().infinispanHosts());
        RecipientValidator podB = pod(TernClusterExtension.cluster().infinispanHosts());
        Mailbox valid = CalloutCacheContract.fresh("example.com");
        Mailbox unknown = Mailbox.of("nobody" + valid.localPart() + "@example.com");

        RecipientCheck first = await(podA.verify(valid, policy));
        assertThat(first.outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(first.cached()).isFalse();
        assertThat(sink.connectionCount()).isEqualTo(1);
        RecipientCheck second = await(podB.verify(valid, policy));
        assertThat(second.outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(second.cached()).isTrue();
        assertThat(sink.connectionCount()).as("pod B did not call out").isEqualTo(1);

        RecipientCheck refused = await(podA.verify(unknown, policy));
        assertThat(refused.outcome()).isEqualTo(Outcome.CALLOUT_UNKNOWN);
        assertThat(refused.refusal().code()).isEqualTo(550);
        assertThat(sink.connectionCount()).isEqualTo(2);
        RecipientCheck refusedAgain = await(podB.verify(unknown, policy));
        assertThat(refusedAgain.cached()).isTrue();
        assertThat(refusedAgain.refusal()).isEqualTo(refused.refusal());
        assertThat(sink.connectionCount()).isEqualTo(2);
    }

    @Test
    void temporaryFailuresAreNeverCached() throws Exception {
        RecipientValidator podA = pod(TernClusterExtension.cluster().infinispanHosts());
        RecipientValidator podB = pod(TernClusterExtension.cluster().infinispanHosts());
        Mailbox busy = Mailbox.of("busy" + CalloutCacheContract.fresh("example.com").localPart() + "@example.com");

        RecipientCheck first = await(podA.verify(busy, policy));
        assertThat(first.outcome()).isEqualTo(Outcome.CALLOUT_DEFERRED);
        assertThat(first.refusal().code()).isEqualTo(450);
        RecipientCheck second = await(podB.verify(busy, policy));
        assertThat(second.outcome()).isEqualTo(Outcome.CALLOUT_DEFERRED);
        assertThat(second.cached()).isFalse();
        await(podA.verify(busy, policy));
        assertThat(sink.connectionCount()).as("every check called out").isEqualTo(3);

        Policy unreachable = policy(Set.of("example.com"), null, callout(Duration.ofSeconds(10)),
                route("example.com", "lmtp://127.0.0.1:" + closedPort()));
        Mailbox someone = CalloutCacheContract.fresh("example.com");
        assertThat(await(podA.verify(someone, unreachable)).outcome()).isEqualTo(Outcome.CALLOUT_UNREACHABLE);
        RecipientCheck again = await(podB.verify(someone, unreachable));
        assertThat(again.outcome()).isEqualTo(Outcome.CALLOUT_UNREACHABLE);
        assertThat(again.cached()).isFalse();
        assertThat(again.refusal().code()).isEqualTo(451);
    }

    @Test
    void infinispanDownMeansCallingOutEveryTimeNeverRefusing() throws Exception {
        RecipientValidator pod = pod("127.0.0.1:" + closedPort());
        Mailbox valid = CalloutCacheContract.fresh("example.com");

        RecipientCheck first = await(pod.verify(valid, policy));
        assertThat(first.outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(first.accepted()).isTrue();
        RecipientCheck second = await(pod.verify(valid, policy));
        assertThat(second.outcome()).isEqualTo(Outcome.CALLOUT_VALID);
        assertThat(second.cached()).isFalse();
        assertThat(sink.connectionCount()).isEqualTo(2);
        assertThat(pod.cacheFailures()).as("reads and writes failed and were counted").isGreaterThanOrEqualTo(2);
    }

    private RecipientValidator pod(String infinispanHosts) {
        RemoteCacheManager manager = InfinispanClient.create(infinispanHosts);
        managers.add(manager);
        return new RecipientValidator(files, new RecipientCallout(executor, "ingress.test"),
                new InfinispanCalloutCache(manager, CACHE, Duration.ofSeconds(10)));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FreePorts.LOOPBACK))) {
            return s.getLocalPort();
        }
    }
}
