package dev.tern.ingress.trust.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.ingress.trust.greylist.GreylistVerdict.Outcome;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.MutableClock;
import dev.tern.local.testkit.TernClusterExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Greylisting shared by two ingress pods through the real Infinispan server of the shared test
 * cluster: each pod has its own Hot Rod client and store, as in production. Time is a
 * {@link MutableClock}; the server's own expiry (real time) never decides an answer.
 */
@ExtendWith(TernClusterExtension.class)
class GreylistIT {

    private final String cacheName = "tern-greylist-it-" + System.nanoTime();
    private final MutableClock clock = new MutableClock();
    private final String hosts = TernClusterExtension.cluster().infinispanHosts();
    private final RemoteCacheManager managerA = InfinispanClient.create(hosts);
    private final RemoteCacheManager managerB = InfinispanClient.create(hosts);
    private final Greylist podA = new Greylist(new InfinispanGreylistStore(managerA, cacheName), clock,
            Duration.ofSeconds(20));
    private final Greylist podB = new Greylist(new InfinispanGreylistStore(managerB, cacheName), clock,
            Duration.ofSeconds(20));
    private RemoteCacheManager dead;

    @AfterEach
    void close() {
        managerA.stop();
        managerB.stop();
        if (dead != null) {
            dead.stop();
        }
    }

    private static GreylistVerdict check(Greylist pod, String ip, String recipient) throws Exception {
        return pod.check(InetAddress.getByName(ip), "alice@sender.example", recipient, GreylistTest.POLICY)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRetryAfterTheDelayPassesOnTheOtherPodAndTheTripletThenPassesOnBoth() throws Exception {
        assertThat(check(podA, "192.0.2.1", "bob@here.example").outcome()).isEqualTo(Outcome.FIRST_SEEN);
        clock.advance(Duration.ofMinutes(1));
        GreylistVerdict early = check(podB, "192.0.2.1", "bob@here.example");
        assertThat(early.outcome()).as("pod B sees pod A's first attempt").isEqualTo(Outcome.TOO_EARLY);
        assertThat(early.retryAfter()).isEqualTo(Duration.ofMinutes(4));
        assertThat(check(podA, "192.0.2.1", "bob@here.example").outcome()).isEqualTo(Outcome.TOO_EARLY);

        clock.advance(Duration.ofMinutes(4));
        assertThat(check(podB, "192.0.2.7", "bob@here.example").outcome()).isEqualTo(Outcome.RETRIED);
        clock.advance(Duration.ofHours(1));
        assertThat(check(podA, "192.0.2.1", "bob@here.example").outcome()).isEqualTo(Outcome.KNOWN);
        assertThat(check(podB, "192.0.2.1", "bob@here.example").outcome()).isEqualTo(Outcome.KNOWN);
        assertThat(check(podA, "192.0.2.1", "carol@here.example").outcome()).as("another recipient waits")
                .isEqualTo(Outcome.FIRST_SEEN);
        assertThat(podA.storeFailures() + podB.storeFailures()).isZero();
    }

    @Test
    void aFirstSeenEntryPastTheRetryWindowRestartsTheDelay() throws Exception {
        assertThat(check(podA, "192.0.2.1", "dave@here.example").outcome()).isEqualTo(Outcome.FIRST_SEEN);
        // The server still holds the entry (its lifespan runs on real time); the stored time decides.
        clock.advance(Duration.ofHours(4).plusMinutes(1));
        GreylistVerdict restarted = check(podB, "192.0.2.1", "dave@here.example");
        assertThat(restarted.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(restarted.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(3));
        assertThat(check(podA, "192.0.2.1", "dave@here.example").outcome()).isEqualTo(Outcome.TOO_EARLY);
        clock.advance(Duration.ofMinutes(2));
        assertThat(check(podA, "192.0.2.1", "dave@here.example").outcome()).isEqualTo(Outcome.RETRIED);
    }

    @Test
    void twoPodsSeeingAFirstAttemptAtOnceDeferItOnceBetweenThem() throws Exception {
        for (int i = 0; i < 5; i++) {
            String recipient = "race" + i + "@here.example";
            var a = podA.check(InetAddress.getByName("192.0.2.1"), "alice@sender.example", recipient,
                    GreylistTest.POLICY).toCompletableFuture();
            var b = podB.check(InetAddress.getByName("192.0.2.1"), "alice@sender.example", recipient,
                    GreylistTest.POLICY).toCompletableFuture();
            CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);
            assertThat(java.util.List.of(a.join().outcome(), b.join().outcome())).as(recipient)
                    .containsExactlyInAnyOrder(Outcome.FIRST_SEEN, Outcome.TOO_EARLY);
        }
    }

    @Test
    void aPodWhoseInfinispanIsUnreachableLetsMailPass() throws Exception {
        dead = InfinispanClient.create("127.0.0.1:" + FreePorts.pick());
        var alone = new Greylist(new InfinispanGreylistStore(dead, cacheName), clock, Duration.ofSeconds(20));
        GreylistVerdict v = check(alone, "192.0.2.1", "erin@here.example");
        assertThat(v.outcome()).isEqualTo(Outcome.STORE_UNAVAILABLE);
        assertThat(v.passes()).isTrue();
        assertThat(alone.storeFailures()).isEqualTo(1);
    }
}
