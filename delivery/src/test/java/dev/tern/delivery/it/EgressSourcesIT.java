package dev.tern.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.queue.QueuedMessage;
import dev.tern.delivery.support.DeliveryTestResource;
import dev.tern.delivery.support.Eventually;
import dev.tern.delivery.support.QueueProbe;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Egress addresses (issue 6: "limits per source IP / IP pool where a pod has several egress
 * addresses"), against the sink, which records the address each connection came from. The test
 * policy ({@link DeliveryTestResource}) gives {@code pool.egress.test} the pool 127.0.0.2 +
 * 127.0.0.3, and sends {@code warm-a.egress.test} and {@code warm-b.egress.test} from 127.0.0.4,
 * limited to one connection and 4 msg/s whatever the destination. {@code per-ip.egress.test} has
 * one connection and 4 msg/s per address of the pool ({@code per-source}).
 */
@QuarkusTest
@QuarkusTestResource(TernClusterResource.class)
@QuarkusTestResource(DeliveryTestResource.class)
class EgressSourcesIT {

    static SmtpSink sink;
    static QueueProbe queue;

    @BeforeAll
    static void start() {
        sink = SmtpSink.builder().port(DeliveryTestResource.TestPorts.smtp()).start();
        queue = new QueueProbe();
    }

    @AfterAll
    static void stop() {
        sink.close();
        queue.close();
    }

    /** Queues {@code count} messages to each of {@code domains} at once; their ids. */
    private static List<String> enqueue(int count, String... domains) throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            for (String domain : domains) {
                QueuedMessage m = QueueProbe.message("alice@sender.test", "r" + i + "@" + domain);
                ids.add(m.id());
                queue.enqueue(m);
            }
        }
        return ids;
    }

    private static List<ReceivedMessage> received(List<String> ids) {
        return sink.messages().stream().filter(m -> ids.stream().anyMatch(id -> m.bodyText().contains(id))).toList();
    }

    @Test
    void aPoolSendsFromEachOfItsAddressesInTurn() throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            QueuedMessage m = QueueProbe.message("alice@sender.test", "p" + i + "@pool.egress.test");
            ids.add(m.id());
            queue.enqueue(m);
            // One at a time: with idle connections to reuse, only the turn decides the address.
            Eventually.await(Duration.ofSeconds(30), () -> received(List.of(m.id())), l -> !l.isEmpty());
        }
        Set<String> addresses = received(ids).stream().map(ReceivedMessage::clientAddress).collect(Collectors.toSet());
        assertThat(addresses).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
    }

    @Test
    void mailTheSlowAddressOfAPoolCannotSendNowGoesFromAnotherAtOnce() throws Exception {
        // 127.0.0.5 sends 1 message a minute; its turn must not push mail to the retry tier.
        List<String> ids = enqueue(6, "spill.egress.test");
        List<ReceivedMessage> got = Eventually.await(Duration.ofSeconds(30), () -> received(ids),
                l -> l.size() >= ids.size());

        assertThat(got).filteredOn(r -> r.clientAddress().equals("127.0.0.5")).hasSizeLessThanOrEqualTo(1);
        for (String id : ids) {
            assertThat(Eventually.await(Duration.ofSeconds(10), () -> queue.events(id), e -> !e.isEmpty()))
                    .as("events of %s", id).extracting(e -> e.outcome().name()).containsExactly("DELIVERED");
        }
    }

    @Test
    void anAddressKeepsItsOwnConnectionAndRateLimitsAcrossDestinations() throws Exception {
        List<String> ids = enqueue(6, "warm-a.egress.test", "warm-b.egress.test");
        // Deferrals (451 4.7.0 past the throttle bound) come back from the 2 s retry tier.
        List<ReceivedMessage> got = Eventually.await(Duration.ofSeconds(60), () -> received(ids),
                l -> l.size() >= ids.size());

        assertThat(got).allSatisfy(r -> assertThat(r.clientAddress()).isEqualTo("127.0.0.4"));
        assertThat(got.stream().flatMap(r -> r.recipients().stream()).map(a -> a.substring(a.indexOf('@') + 1)))
                .as("both destinations shared the address").contains("warm-a.egress.test", "warm-b.egress.test");
        // max-connections 1: the connections the messages came over never overlap in time.
        Map<Integer, List<Instant>> byConnection = new TreeMap<>();
        got.forEach(r -> byConnection.computeIfAbsent(r.connectionId(), c -> new ArrayList<>()).add(r.receivedAt()));
        var spans = byConnection.values().stream()
                .map(times -> new Instant[] {times.stream().min(Comparator.naturalOrder()).orElseThrow(),
                        times.stream().max(Comparator.naturalOrder()).orElseThrow()})
                .sorted(Comparator.comparing(span -> span[0])).toList();
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("connection %d starts after the one before has ended", i)
                    .isAfterOrEqualTo(spans.get(i - 1)[1]);
        }
        // 4/s for the address, not per destination: 12 messages take at least 11 intervals of 250 ms.
        Instant first = got.stream().map(ReceivedMessage::receivedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = got.stream().map(ReceivedMessage::receivedAt).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(Duration.between(first, last)).isGreaterThanOrEqualTo(Duration.ofMillis(11 * 250 - 300));
    }

    @Test
    void perSourceLimitsHoldForEachAddressOfThePoolOnItsOwn() throws Exception {
        List<String> ids = enqueue(16, "per-ip.egress.test");
        List<ReceivedMessage> got = Eventually.await(Duration.ofSeconds(60), () -> received(ids),
                l -> l.size() >= ids.size());

        Map<String, List<Instant>> byAddress = new TreeMap<>();
        got.forEach(r -> byAddress.computeIfAbsent(r.clientAddress(), a -> new ArrayList<>()).add(r.receivedAt()));
        assertThat(byAddress).as("both addresses of the pool sent").containsOnlyKeys("127.0.0.2", "127.0.0.3");
        for (var e : byAddress.entrySet()) {
            List<Instant> times = e.getValue().stream().sorted().toList();
            assertThat(Duration.between(times.get(0), times.get(times.size() - 1)))
                    .as("4/s from %s: %d messages", e.getKey(), times.size())
                    .isGreaterThanOrEqualTo(Duration.ofMillis((times.size() - 1) * 250L - 300));
        }
        // Together the two addresses send at about 8/s: 16 messages in well under the 3.75 s that
        // one shared 4/s bucket would need.
        Instant first = got.stream().map(ReceivedMessage::receivedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = got.stream().map(ReceivedMessage::receivedAt).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(Duration.between(first, last)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void withPerSourceLimitsA421BacksOffOnlyTheAddressThatGotIt() throws Exception {
        // The first try of the first message gets "421 slow down"; the destination's backoff is
        // a minute. Only the address that carried it may pause: the other sends the rest at once.
        sink.behaviour(r -> r.stage() == SinkRequest.Stage.RCPT
                && r.recipient().equals("r0@per-ip-backoff.egress.test") && r.attempt() == 1
                ? SinkReply.of(421, "4.7.0 too much mail from your address, slow down") : null);
        try {
            List<String> ids = enqueue(7, "per-ip-backoff.egress.test");
            List<ReceivedMessage> got = Eventually.await(Duration.ofSeconds(20), () -> received(ids),
                    l -> l.size() >= ids.size());
            assertThat(got).hasSize(ids.size());
            for (String id : ids.subList(1, ids.size())) {
                assertThat(Eventually.await(Duration.ofSeconds(10), () -> queue.events(id), e -> !e.isEmpty()))
                        .as("events of %s", id).extracting(e -> e.outcome().name()).containsExactly("DELIVERED");
            }
        } finally {
            sink.behaviour(null);
        }
    }
}
