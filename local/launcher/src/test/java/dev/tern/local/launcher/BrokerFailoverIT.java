package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.runtime.kafka.KafkaQuorum;
import dev.tern.local.runtime.kafka.KafkaTopics;
import dev.tern.local.runtime.kafka.TopicSpec;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HA shape ({@code ./tern-local --ha}) loses a Kafka broker to SIGKILL in the middle of a
 * load sent over SMTP, and no message that ingress answered 250 is lost: each is found at the
 * real SMTP sink by its unique Message-ID. Duplicates are allowed (a delivery whose offset commit
 * died with the broker is repeated) but counted, reported, and bounded by what the two delivery
 * instances can have in flight. The broker is then restarted and must rejoin: every partition's
 * in-sync replica set back to three.
 *
 * <p>{@code -Dtern.test.ha.messages=N} sets the load (default 10,000), {@code -Dtern.test.ha.sessions=N}
 * the parallel SMTP sessions (default 32).
 */
class BrokerFailoverIT {

    private static final int MESSAGES = Integer.getInteger("tern.test.ha.messages", 10_000);
    /** Parallel SMTP sessions: ingress answers each DATA after Kafka's acks, so throughput grows with them. */
    private static final int SESSIONS = Integer.getInteger("tern.test.ha.sessions", 32);
    private static final Pattern MESSAGE_ID = Pattern.compile("(?i)^Message-ID: <ha-(\\d+)@sender\\.test>",
            Pattern.MULTILINE);
    /** Delivery defaults: tern.delivery.max-in-flight + max-poll-records, per instance. */
    private static final int IN_FLIGHT_PER_DELIVERY = 1000 + 200;

    /** Bound for feeding, and for delivering, the load: at least 5 messages/s even on a crowded machine. */
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60 + MESSAGES / 5);

    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        fixture = ClusterFixture.startHa("[2s, 4s]", Map.of());
        System.out.printf("BrokerFailoverIT: 11 processes ready in %.1f s%n", seconds(System.nanoTime() - started));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
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

    @Test
    void everyAcceptedMessageIsDeliveredWhenABrokerIsKilledMidLoad() throws Exception {
        KafkaQuorum quorum = fixture.cluster.haBackends().kafka();
        List<String> topics = LocalCluster.topics(fixture.cluster.policy(), fixture.cluster.options().partitions(),
                (short) 3).stream().map(TopicSpec::name).toList();
        Load load = new Load(fixture.smtpPort(), MESSAGES);
        long started = System.nanoTime();
        Future<?> feeding = load.start();

        assertThat(load.thirdAccepted.await(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("a third of the load accepted").isTrue();
        int victim = busiestLeader(quorum, topics);
        quorum.kill(victim);
        long killedAt = System.nanoTime();
        feeding.get(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long fed = System.nanoTime();

        quorum.restart(victim);
        Set<Integer> accepted = load.accepted.keySet();
        Map<Integer, Integer> delivered = awaitDelivered(accepted, PHASE_TIMEOUT);
        long allDelivered = System.nanoTime();
        quorum.awaitFullyReplicated(topics, Duration.ofMinutes(2));

        int duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("BrokerFailoverIT: %d messages over %d sessions, %d answered 250, %d refused (%s), %d without an answer; "
                + "killed kafka-%d after %.1f s; fed in %.1f s; all accepted delivered after %.1f s; "
                + "%d duplicates at the sink; ISR back to 3 after %.1f s%n", MESSAGES, SESSIONS, accepted.size(),
                load.refused.get(), load.refusals, load.unanswered.get(), victim, seconds(killedAt - started),
                seconds(fed - started), seconds(allDelivered - started), duplicates,
                seconds(System.nanoTime() - started));

        assertThat(accepted.size()).as("most of the load is accepted despite the failover")
                .isGreaterThan(MESSAGES / 2);
        assertThat(delivered.keySet()).containsAll(accepted);
        assertThat(duplicates).as("duplicates are bounded by the two delivery instances' in-flight records")
                .isLessThanOrEqualTo(2 * IN_FLIGHT_PER_DELIVERY);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The node leading the most partitions of Tern's topics: its death moves the most leaderships. */
    private static int busiestLeader(KafkaQuorum quorum, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(quorum.bootstrapServers()))) {
            Map<Integer, Integer> led = new HashMap<>();
            for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
            return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
    }

    /**
     * Waits (on the sink's arrivals, not a timer) until every accepted message has arrived, and
     * returns how often each fed message arrived.
     */
    private static Map<Integer, Integer> awaitDelivered(Set<Integer> accepted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Integer> delivered = new HashMap<>();
        Set<Integer> missing = new TreeSet<>(accepted);
        int seen = 0;
        while (true) {
            List<ReceivedMessage> all = fixture.sink.messages();
            for (; seen < all.size(); seen++) {
                Matcher id = MESSAGE_ID.matcher(all.get(seen).bodyText());
                if (id.find()) {
                    int n = Integer.parseInt(id.group(1));
                    delivered.merge(n, 1, Integer::sum);
                    missing.remove(n);
                }
            }
            long left = deadline - System.nanoTime();
            if (missing.isEmpty() || left <= 0) {
                return delivered;
            }
            try {
                fixture.sink.awaitMessages(seen + 1, Duration.ofNanos(left));
            } catch (AssertionError timedOut) {
                // The caller's assertion names every message still missing.
                return delivered;
            }
        }
    }

    /**
     * {@value #SESSIONS} SMTP sessions sending message 0..count-1 (one each, Message-ID
     * {@code <ha-n@sender.test>}), pipelining MAIL, RCPT and DATA. A message counts as accepted
     * only on 250 after its data; a refusal is counted and the session goes on; a broken
     * connection loses the message in transit (neither accepted nor refused) and a new one is opened.
     */
    private static final class Load {
        final Map<Integer, Boolean> accepted = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger unanswered = new AtomicInteger();
        final Set<String> refusals = ConcurrentHashMap.newKeySet();
        final CountDownLatch thirdAccepted;
        private final int port;
        private final int count;
        private final AtomicInteger next = new AtomicInteger();

        Load(int port, int count) {
            this.port = port;
            this.count = count;
            this.thirdAccepted = new CountDownLatch(Math.max(1, count / 3));
        }

        Future<?> start() {
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS + 1);
            List<Future<?>> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(pool.submit(this::sessionsUntilDone));
            }
            Future<?> all = pool.submit(() -> {
                for (Future<?> f : sessions) {
                    f.get();
                }
                return null;
            });
            pool.shutdown();
            return all;
        }

        private Void sessionsUntilDone() {
            while (next.get() < count) {
                try {
                    oneSession();
                } catch (IOException e) {
                    // A connection that fails before taking a message still counts, so that an
                    // ingress that is down ends the load instead of spinning on connects.
                    if (unanswered.incrementAndGet() > count / 10) {
                        throw new IllegalStateException("more than " + count / 10 + " SMTP sessions broke", e);
                    }
                }
            }
            return null;
        }

        private void oneSession() throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(120_000);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                reply(in);
                write(out, "EHLO load.test\r\n");
                reply(in);
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    write(out, "MAIL FROM:<load@sender.test>\r\nRCPT TO:<rcpt" + (n % 10) + "@remote.test>\r\nDATA\r\n");
                    String mail = reply(in);
                    String rcpt = reply(in);
                    String data = reply(in);
                    if (!data.startsWith("354")) {
                        refuse(mail.startsWith("250") ? rcpt.startsWith("250") ? data : rcpt : mail);
                        write(out, "RSET\r\n");
                        reply(in);
                        continue;
                    }
                    write(out, "From: <load@sender.test>\r\nSubject: ha " + n + "\r\nMessage-ID: <ha-" + n
                            + "@sender.test>\r\n\r\nmessage " + n + " of the broker failover load\r\n.\r\n");
                    String end = reply(in);
                    if (end.startsWith("250")) {
                        accepted.put(n, Boolean.TRUE);
                        thirdAccepted.countDown();
                    } else {
                        refuse(end);
                    }
                }
                write(out, "QUIT\r\n");
            }
        }

        private void refuse(String reply) {
            refused.incrementAndGet();
            refusals.add(reply.length() > 3 ? reply.substring(0, 3) : reply);
        }

        private static void write(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** One (possibly multi-line) reply; its last line. */
        private static String reply(InputStream in) throws IOException {
            String line;
            do {
                StringBuilder b = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        throw new IOException("ingress closed the connection");
                    }
                    if (c != '\r') {
                        b.append((char) c);
                    }
                }
                line = b.toString();
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }
    }
}
