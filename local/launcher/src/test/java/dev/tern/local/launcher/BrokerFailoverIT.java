package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.launcher.chaos.ChaosCases;
import dev.tern.local.launcher.chaos.ChaosCluster;
import dev.tern.local.launcher.chaos.ChaosRow;
import dev.tern.local.testkit.RawSmtpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HA shape ({@code ./tern-local --ha}) under the faults of issue 14's chaos table, on one
 * cluster for the whole class (starting it is most of the cost). First a Kafka broker is killed
 * with SIGKILL in the middle of a load sent over SMTP: no message that ingress answered 250 is
 * lost, each found at the real SMTP sink by its unique Message-ID, and the restarted broker
 * rejoins every in-sync replica set. Then the chaos subset that {@code ./mvnw verify} runs
 * ({@code bench/chaos.sh} runs them all): kill -9 of delivery while it sends, of ingress mid-DATA
 * and right after the final dot, of one Infinispan server of two; SIGTERM of ingress; the remote
 * resetting the connection after DATA. Each passes only with 0 lost and duplicates no more than
 * the SMTP transactions in flight when the fault struck ({@link ChaosRow}).
 *
 * <p>{@code -Dtern.test.ha.messages=N} sets the broker-kill load (default 10,000),
 * {@code -Dtern.test.ha.sessions=N} its parallel SMTP sessions (default 32),
 * {@code -Dtern.test.chaos.messages=N} each subset case's load (default 300).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailoverIT {

    private static final int MESSAGES = Integer.getInteger("tern.test.ha.messages", 10_000);
    /** Parallel SMTP sessions: ingress answers each DATA after Kafka's acks, so throughput grows with them. */
    private static final int SESSIONS = Integer.getInteger("tern.test.ha.sessions", 32);
    private static final int CASE_MESSAGES = Integer.getInteger("tern.test.chaos.messages", 300);

    private static ChaosCluster chaos;
    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        chaos = ChaosCluster.start();
        fixture = chaos.fixture();
        System.out.printf("BrokerFailoverIT: 11 processes ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() {
        if (chaos != null) {
            chaos.close();
        }
    }

    @Test
    @Order(1)
    void theHaShapeRunsEveryProcessTwiceOrThriceAndTheSecondIngressTakesMail() throws Exception {
        List<LocalCluster.RunningProcess> processes = fixture.cluster.processes();
        assertThat(processes).extracting(p -> p.process().name()).containsExactlyInAnyOrder("kafka-1", "kafka-2",
                "kafka-3", "infinispan-tern-1", "infinispan-tern-2", "ingress", "delivery", "bounce", "ingress-2",
                "delivery-2", "bounce-2");
        assertThat(processes).allSatisfy(p -> assertThat(p.process().isAlive()).isTrue());
        assertThat(TernLocal.processTable(fixture.cluster).lines()).hasSize(11)
                .anySatisfy(l -> assertThat(l).contains("ingress-2").contains("smtp 127.0.0.2:" + fixture.smtpPort()));
        assertThat(fixture.cluster.servers().kafkaBootstrapServers().split(",")).hasSize(3);
        assertThat(fixture.cluster.servers().infinispanHosts().split(";")).hasSize(2);

        try (RawSmtpClient client = new RawSmtpClient(LocalOptions.HaPorts.SECOND_INGRESS_ADDRESS, fixture.smtpPort())) {
            assertThat(client.reply()).startsWith("220");
            assertThat(client.command("EHLO second.test")).startsWith("250");
            assertThat(client.command("MAIL FROM:<a@sender.test>")).startsWith("250");
            assertThat(client.command("RCPT TO:<second@remote.test>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command("Message-ID: <second-ingress@sender.test>\r\n\r\nvia 127.0.0.2\r\n."))
                    .startsWith("250");
        }
        fixture.sink.awaitMessage(m -> m.bodyText().contains("second-ingress@sender.test"), Duration.ofSeconds(60));
    }

    /** The busiest leader's broker killed after a third of the load; restarted and back in every ISR (or the run throws). */
    @Test
    @Order(2)
    void everyAcceptedMessageIsDeliveredWhenABrokerIsKilledMidLoad() throws Exception {
        ChaosRow row = run("kafka-kill-leader-burst", MESSAGES, SESSIONS);
        assertThat(row.accepted()).as("most of the load is accepted despite the failover").isGreaterThan(MESSAGES / 2);
    }

    @Test
    @Order(3)
    void deliveryKilledWhileSendingLosesNothing() throws Exception {
        run("delivery-kill", CASE_MESSAGES, 8);
    }

    @Test
    @Order(4)
    void ingressKilledMidDataAndAfterTheDotDeliversExactlyWhatItAnswered250() throws Exception {
        run("ingress-kill-mid-data-and-after-dot", CASE_MESSAGES, 8);
    }

    @Test
    @Order(5)
    void oneInfinispanServerKilledLosesNothing() throws Exception {
        run("infinispan-kill-one", CASE_MESSAGES, 8);
    }

    @Test
    @Order(6)
    void ingressDrainsOnSigtermAndTurnsNewSessionsAwayWith421() throws Exception {
        run("ingress-sigterm", CASE_MESSAGES, 8);
    }

    @Test
    @Order(7)
    void aRemoteResettingAfterDataGetsEveryMessageAgain() throws Exception {
        run("remote-reset-after-data", CASE_MESSAGES, 8);
    }

    private static ChaosRow run(String name, int messages, int sessions) throws Exception {
        ChaosRow row = chaos.run(ChaosCases.named(name).withMessages(messages).withSessions(sessions));
        System.out.println("BrokerFailoverIT: " + row.line() + "\n  " + row.note());
        assertThat(row.lost()).as("accepted and never delivered: %s", row.note()).isZero();
        assertThat(row.duplicates()).as("duplicates within the transactions in flight at the fault: %s", row.note())
                .isLessThanOrEqualTo(row.bound());
        assertThat(row.failures()).as("the case's own checks").isEmpty();
        assertThat(row.accepted()).as("some of the load accepted").isPositive();
        return row;
    }
}
