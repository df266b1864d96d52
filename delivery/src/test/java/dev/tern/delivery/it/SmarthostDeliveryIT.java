package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.event.DeliveryEvent;
import dev.tern.common.event.DeliveryEvent.Outcome;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.journal.InfinispanDeliveryJournal;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.common.queue.Schedule;
import dev.tern.common.queue.Topics;
import dev.tern.common.suppression.InfinispanSuppressionList;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.common.infinispan.InfinispanClient;
import dev.tern.common.journal.InfinispanDeliveryJournal;
import dev.tern.common.suppression.InfinispanSuppressionList;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery through a smarthost route ({@code relay.test} → the SMTP sink): the core path from
 * {@code tern.inbound} to the remote server, the event ledger, the retry tiers and {@code tern.failed}.
 * Recipients' local parts script the sink: {@code defer-*} gets 451 on its first RCPT, {@code reject-*}
 * always 550.
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class SmarthostDeliveryIT {

    static SmtpSink sink;
    static QueueProbe queue;

    static final SinkBehaviour SCRIPT = r -> {
        if (r.stage() != SinkRequest.Stage.RCPT) {
            return null;
        }
        if (r.recipient().startsWith("reject-")) {
            return SinkReply.of(550, "5.1.1 no such user");
        }
        if (r.recipient().startsWith("defer-") && r.attempt() == 1) {
            return SinkReply.of(451, "4.3.0 try again later");
        }
        return null;
    };

    @BeforeAll
    static void start() {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).starttls().behaviour(SCRIPT).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        queue.close();
    }

    /** Runs {@code work} with a Hot Rod client of the test's Infinispan server, then closes it. */
    private static void withInfinispan(java.util.function.Consumer<org.infinispan.client.hotrod.RemoteCacheManager> work) {
        var manager = InfinispanClient.create(ConfigProvider.getConfig().getValue("tern.infinispan.hosts", String.class));
        try {
            work.accept(manager);
        } finally {
            manager.stop();
        }
    }

    private static List<ReceivedMessage> received(String id) {
        return sink.messages().stream().filter(m -> m.bodyText().contains(id)).toList();
    }

    private static List<DeliveryEvent> events(String id, int count) {
        return Eventually.await(Duration.ofSeconds(30), () -> queue.events(id), e -> e.size() >= count);
    }

    @Test
    void deliversAnInboundMessageToTheSmarthost() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "bob@relay.test");
        queue.enqueue(m);

        var got = Eventually.await(Duration.ofSeconds(30), () -> received(m.id()), l -> !l.isEmpty());
        assertThat(got).singleElement().satisfies(r -> {
            assertThat(r.tls()).as("opportunistic STARTTLS with the sink's self-signed certificate").isTrue();
            assertThat(r.sender()).isEqualTo("alice@sender.test");
            assertThat(r.recipients()).containsExactly("bob@relay.test");
            assertThat(r.body()).isEqualTo(m.body());
        });
        assertThat(events(m.id(), 1)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(e.replyCode()).isEqualTo(250);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.mxHost()).isEqualTo("127.0.0.1");
            assertThat(e.destination()).startsWith("smtp://127.0.0.1:");
            assertThat(e.tls()).startsWith("TLS");
        });
    }

    @Test
    void connectsFromTheDestinationsSourceAddress() throws Exception {
        // egress.test has source-ip 127.0.0.2 in the test policy (a pod with several addresses).
        QueuedMessage m = QueueProbe.message("alice@sender.test", "eve@egress.test");
        queue.enqueue(m);
        var got = Eventually.await(Duration.ofSeconds(30), () -> received(m.id()), l -> !l.isEmpty());
        assertThat(got).singleElement().satisfies(r -> assertThat(r.clientAddress()).isEqualTo("127.0.0.2"));
        var other = QueueProbe.message("alice@sender.test", "bob@relay.test");
        queue.enqueue(other);
        var plain = Eventually.await(Duration.ofSeconds(30), () -> received(other.id()), l -> !l.isEmpty());
        assertThat(plain).singleElement().satisfies(r -> assertThat(r.clientAddress()).isEqualTo("127.0.0.1"));
    }

    @Test
    void requiredTlsNeverFallsBackToPlainText() throws Exception {
        // secure.test requires verified TLS; the sink's certificate is self-signed.
        QueuedMessage m = QueueProbe.message("alice@sender.test", "sam@secure.test");
        queue.enqueue(m);

        assertThat(events(m.id(), 1).get(0)).satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(e.replyText()).startsWith("4.7.5");
        });
        assertThat(received(m.id())).isEmpty();
    }

    /**
     * Messages sent to rate.test (2/s) in the pacing tests: four need three emission intervals,
     * 1.5 s. The limiter spaces the sends; the sink sees each message at the end of its transaction,
     * whose length varies by 100 ms and more on a busy machine (a pooled or a new connection, a
     * slow scheduler). So the bound is 1 s: a third of the span of margin each way, while mail that
     * is not paced arrives within a few hundred milliseconds.
     */
    private static final int PACED = 4;
    private static final Duration PACED_SPAN = Duration.ofMillis(1000);

    /**
     * Delivers one message to rate.test and waits for it, so the measured messages go over a pooled
     * connection: otherwise the first one's arrival also carries the connection set-up (a TCP and
     * TLS handshake and EHLO, 100 ms and more on a busy machine) that the later ones skip, and the
     * arrivals come closer together than the rate spaced the sends.
     */
    private void warmRateTestConnection() throws Exception {
        QueuedMessage warm = QueueProbe.message("alice@sender.test", "warm-" + java.util.UUID.randomUUID() + "@rate.test");
        queue.enqueue(warm);
        Eventually.await(Duration.ofSeconds(30), () -> received(warm.id()), l -> !l.isEmpty());
    }

    @Test
    void spacesMessagesByTheDestinationsRate() throws Exception {
        warmRateTestConnection();
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < PACED; i++) {
            QueuedMessage m = QueueProbe.message("alice@sender.test", "paced" + i + "@rate.test");
            ids.add(m.id());
            queue.enqueue(m);
        }
        var arrivals = Eventually.await(Duration.ofSeconds(30), () -> ids.stream().flatMap(id -> received(id).stream())
                .map(ReceivedMessage::receivedAt).sorted().toList(), l -> l.size() == PACED);
        assertThat(arrivals).hasSize(PACED);
        assertThat(Duration.between(arrivals.get(0), arrivals.get(PACED - 1))).isGreaterThanOrEqualTo(PACED_SPAN);
    }

    @Test
    void keepsEachPolicyEntrysLimitsApartOnOneRelay() throws Exception {
        // relay.test (default entry) and rate.test (its own entry, 2/s) go through the same relay:
        // one transaction each, so rate.test's limit never paces relay.test's mail, nor the reverse.
        warmRateTestConnection();
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < PACED; i++) {
            QueuedMessage m = QueueProbe.message("alice@sender.test", "mixed" + i + "@relay.test",
                    "mixed" + i + "@rate.test");
            ids.add(m.id());
            queue.enqueue(m);
        }
        var got = Eventually.await(Duration.ofSeconds(30), () -> ids.stream().flatMap(id -> received(id).stream())
                .toList(), l -> l.size() == 2 * PACED);
        assertThat(got).allSatisfy(r -> assertThat(r.recipients()).hasSize(1));
        List<java.time.Instant> relayed = got.stream().filter(r -> r.recipients().get(0).endsWith("@relay.test"))
                .map(ReceivedMessage::receivedAt).sorted().toList();
        List<java.time.Instant> paced = got.stream().filter(r -> r.recipients().get(0).endsWith("@rate.test"))
                .map(ReceivedMessage::receivedAt).sorted().toList();
        assertThat(Duration.between(paced.get(0), paced.get(PACED - 1))).as("rate.test at 2/s")
                .isGreaterThanOrEqualTo(PACED_SPAN);
        assertThat(Duration.between(relayed.get(0), relayed.get(PACED - 1))).as("relay.test not held to rate.test's 2/s")
                .isLessThan(PACED_SPAN);
    }

    @Test
    void reusesConnectionsAcrossMessages() throws Exception {
        int before = sink.connectionCount();
        for (int i = 0; i < 5; i++) {
            QueuedMessage m = QueueProbe.message("alice@sender.test", "reuse" + i + "@relay.test");
            queue.enqueue(m);
            // One at a time, well within the 2 s idle timeout: each finds the previous connection idle.
            assertThat(Eventually.await(Duration.ofSeconds(30), () -> received(m.id()), l -> !l.isEmpty())).hasSize(1);
        }
        assertThat(sink.connectionCount() - before).as("new connections for 5 messages").isLessThanOrEqualTo(1);
    }

    @Test
    void expiresMessagesPastTheQueueLifetime() throws Exception {
        QueuedMessage fresh = QueueProbe.message("alice@sender.test", "old@relay.test");
        // The test policy's max-queue-lifetime is 1h.
        QueuedMessage m = new QueuedMessage(fresh.id(), fresh.envelope(), fresh.provenance(),
                new Schedule(3, null, java.time.Instant.now().minus(Duration.ofHours(2))), fresh.body());
        queue.enqueue(m);

        var failed = Eventually.await(Duration.ofSeconds(30), () -> queue.queued(Topics.FAILED, m.id()),
                l -> !l.isEmpty());
        assertThat(failed.get(0).recipients().get(0).lastReply().toString()).startsWith("451 4.4.7");
        assertThat(events(m.id(), 1)).extracting(DeliveryEvent::outcome).containsExactly(Outcome.EXPIRED);
        assertThat(received(m.id())).isEmpty();
    }

    @Test
    void retriesOn451UntilDue() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "defer-carol@relay.test");
        queue.enqueue(m);

        var got = Eventually.await(Duration.ofSeconds(40), () -> received(m.id()), l -> !l.isEmpty());
        assertThat(got).hasSize(1);
        var events = events(m.id(), 2);
        assertThat(events).extracting(DeliveryEvent::outcome).containsExactly(Outcome.DEFERRED, Outcome.DELIVERED);
        assertThat(events.get(1).attempt()).isEqualTo(2);
        // The 2 s tier: the second attempt happens no earlier than the first plus the tier delay.
        assertThat(events.get(1).timestamp() - events.get(0).timestamp()).isGreaterThanOrEqualTo(2000);
        var retried = queue.queued("tern.retry.2s", m.id());
        assertThat(retried).singleElement().satisfies(r -> {
            assertThat(r.schedule().attempt()).isEqualTo(1);
            assertThat(r.recipients().get(0).lastReply().toString()).isEqualTo("451 4.3.0 try again later");
        });
    }

    @Test
    void bouncesOn550ToFailedWithTheRemoteReply() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "reject-dave@relay.test");
        queue.enqueue(m);

        var failed = Eventually.await(Duration.ofSeconds(30), () -> queue.queued(Topics.FAILED, m.id()),
                l -> !l.isEmpty());
        assertThat(failed).singleElement().satisfies(f -> {
            assertThat(f.recipients()).extracting(QueuedRecipient::address).containsExactly("reject-dave@relay.test");
            assertThat(f.recipients().get(0).lastReply().toString()).isEqualTo("550 5.1.1 no such user");
            assertThat(f.schedule().attempt()).isEqualTo(1);
        });
        assertThat(events(m.id(), 1)).extracting(DeliveryEvent::outcome).containsExactly(Outcome.BOUNCED);
        assertThat(received(m.id())).isEmpty();
    }

    @Test
    void splitsMixedRecipientOutcomes() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "erin@relay.test", "reject-frank@relay.test",
                "defer-grace@relay.test");
        queue.enqueue(m);

        var events = events(m.id(), 4);
        assertThat(events).extracting(DeliveryEvent::recipient, DeliveryEvent::outcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("erin@relay.test", Outcome.DELIVERED),
                org.assertj.core.groups.Tuple.tuple("reject-frank@relay.test", Outcome.BOUNCED),
                org.assertj.core.groups.Tuple.tuple("defer-grace@relay.test", Outcome.DEFERRED),
                org.assertj.core.groups.Tuple.tuple("defer-grace@relay.test", Outcome.DELIVERED));
        assertThat(received(m.id())).flatExtracting(ReceivedMessage::recipients)
                .containsExactly("erin@relay.test", "defer-grace@relay.test");
        assertThat(queue.queued(Topics.FAILED, m.id())).singleElement()
                .satisfies(f -> assertThat(f.recipients()).extracting(QueuedRecipient::address)
                        .containsExactly("reject-frank@relay.test"));
        assertThat(queue.queued("tern.retry.2s", m.id())).singleElement()
                .satisfies(r -> assertThat(r.recipients()).extracting(QueuedRecipient::address)
                        .containsExactly("defer-grace@relay.test"));
    }

    @Test
    void skipsRecipientsTheJournalKnowsAsDelivered() throws Exception {
        // As after a crash between the remote 250 and the offset commit: the record is read again.
        QueuedMessage m = QueueProbe.message("alice@sender.test", "ian@relay.test", "jo@relay.test");
        withInfinispan(manager -> new InfinispanDeliveryJournal(manager, InfinispanDeliveryJournal.CACHE,
                Duration.ofHours(1)).recordDelivered(m.id(), List.of("ian@relay.test")).toCompletableFuture().join());
        queue.enqueue(m);

        var events = events(m.id(), 2);
        assertThat(events).extracting(DeliveryEvent::outcome).containsOnly(Outcome.DELIVERED);
        assertThat(received(m.id())).flatExtracting(ReceivedMessage::recipients).containsExactly("jo@relay.test");
    }

    @Test
    void failsSuppressedRecipientsWithoutSendingToThem() throws Exception {
        QueuedMessage m = QueueProbe.message("alice@sender.test", "Gone@Relay.test", "kim@relay.test");
        // As the bounce service records a hard bounce (any case: the list ignores it).
        withInfinispan(manager -> new InfinispanSuppressionList(manager, InfinispanSuppressionList.CACHE,
                java.time.Clock.systemUTC()).add("gone@relay.test", "550 5.1.1 no such user",
                java.time.Instant.now().plusSeconds(3600)).toCompletableFuture().join());
        queue.enqueue(m);

        var events = events(m.id(), 2);
        assertThat(events).filteredOn(e -> e.recipient().equals("Gone@Relay.test")).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.BOUNCED);
            assertThat(e.replyCode()).isEqualTo(550);
            assertThat(e.replyText()).startsWith("5.7.1").contains("suppressed", "550 5.1.1 no such user");
        });
        assertThat(events).filteredOn(e -> e.recipient().equals("kim@relay.test"))
                .extracting(DeliveryEvent::outcome).containsExactly(Outcome.DELIVERED);
        assertThat(received(m.id())).flatExtracting(ReceivedMessage::recipients).containsExactly("kim@relay.test");
        assertThat(queue.queued(Topics.FAILED, m.id())).singleElement()
                .satisfies(r -> assertThat(r.recipients()).extracting(QueuedRecipient::address)
                        .containsExactly("Gone@Relay.test"));
    }

    @Test
    void dropsNullSenderFailuresWithoutBouncing() throws Exception {
        QueuedMessage m = QueueProbe.message("", "reject-henry@relay.test");
        queue.enqueue(m);

        assertThat(events(m.id(), 1)).extracting(DeliveryEvent::outcome).containsExactly(Outcome.DROPPED);
        assertThat(queue.queued(Topics.FAILED, m.id())).isEmpty();
    }
}
