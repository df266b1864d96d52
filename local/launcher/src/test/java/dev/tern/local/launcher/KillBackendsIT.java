package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SinkRequest;
import dev.tern.local.testkit.RawSmtpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Non-negotiable 1 across the whole system, with the backing servers killed: clients send, delivery
 * and bounce consume, and the Kafka broker, then the Infinispan server, then the bounce service is
 * killed with SIGKILL and started again on its data. Every message ingress answered 250 reaches the remote server, and
 * every one whose recipient the remote server refuses comes back to its sender as a bounce.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillBackendsIT {

    private static final int CLIENTS = 4;
    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ClusterFixture.start("[2s, 5s]", Map.of());
        // Every tenth message is for a mailbox the remote server does not have.
        fixture.sink.behaviour(r -> r.stage() == SinkRequest.Stage.RCPT && r.recipient().startsWith("gone")
                ? SinkReply.of(550, "5.1.1 no such mailbox") : null);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void every250IsDeliveredOrBouncedAcrossAKafkaKill() throws Exception {
        Load load = underLoad("kafka-kill", l -> {
            fixture.cluster.backends().killKafka();
            long killedAt = System.nanoTime();
            Thread.sleep(5000);
            fixture.cluster.backends().restartKafka();
            System.out.printf("KillBackendsIT: Kafka down for %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
        });
        assertThat(load.refused()).as("clients were told to retry while the broker was down").isPositive();
    }

    @Test
    @Order(2)
    void deliveryGoesOnWhileInfinispanIsDownAndEvery250IsDeliveredOrBounced() throws Exception {
        underLoad("ispn-kill", load -> {
            fixture.cluster.backends().killInfinispan();
            long killedAt = System.nanoTime();
            int before = load.delivered().size();
            // Down for 8 s, and until something was delivered meanwhile (a busy machine takes
            // longer to fall back to the local limits): that is the event this test is about.
            long downFor = killedAt + TimeUnit.SECONDS.toNanos(8);
            long giveUp = killedAt + TimeUnit.SECONDS.toNanos(90);
            while ((System.nanoTime() < downFor || load.delivered().size() == before) && System.nanoTime() < giveUp) {
                Thread.sleep(100);
            }
            int whileDown = load.delivered().size() - before;
            fixture.cluster.backends().restartInfinispan();
            System.out.printf("KillBackendsIT: Infinispan down for %d ms, %d messages delivered meanwhile%n",
                    (System.nanoTime() - killedAt) / 1_000_000, whileDown);
            assertThat(whileDown).as("messages delivered while Infinispan was down (local shaping limits)")
                    .isPositive();
        });
        // Delivery leaves its local limits when a call to Infinispan, made as a probe, succeeds:
        // keep a message flowing until one does. The bound only stops a hang; a restarted server on
        // a busy machine can take tens of seconds to answer, and how fast is a benchmark's business.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int n = 0; fallback() > 0; n++) {
            assertThat(System.nanoTime()).as("delivery back on the shared limits after Infinispan returned")
                    .isLessThan(giveUp);
            sendOne("ispn-probe-" + n);
            Thread.sleep(250);
        }
    }

    private static void sendOne(String id) {
        try (var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 60_000)) {
            c.reply();
            c.command("EHLO probe.test");
            c.command("MAIL FROM:<probe@sender.test>");
            c.command("RCPT TO:<probe@remote.test>");
            c.command("DATA");
            c.command("Subject: " + id + "\r\n\r\n" + id + "\r\n.");
            c.command("QUIT");
        }
    }

    @Test
    @Order(3)
    void everyRefusedMailboxIsBouncedAcrossAKillOfTheBounceService() throws Exception {
        underLoad("bounce-kill", load -> {
            fixture.cluster.kill(Service.BOUNCE);
            Thread.sleep(2000);
            fixture.cluster.startService(Service.BOUNCE);
            fixture.cluster.awaitReady(Service.BOUNCE);
        });
    }

    /** What a test does to the cluster while the load runs. */
    private interface Fault {
        void inject(Load load) throws Exception;
    }

    /**
     * Starts a load tagged {@code tag}; after 200 messages got 250, injects {@code fault}; after
     * 200 more, stops the load and waits for every 250 to be delivered or bounced.
     */
    private static Load underLoad(String tag, Fault fault) throws Exception {
        var load = new Load(tag);
        try {
            load.awaitAccepted(200, Duration.ofSeconds(60));
            fault.inject(load);
            load.awaitAccepted(load.accepted().size() + 200, Duration.ofSeconds(120));
        } finally {
            load.stop();
        }
        load.assertDeliveredOrBounced();
        return load;
    }

    private static double fallback() throws Exception {
        return ClusterFixture.metric(fixture.cluster.options().httpPort(Service.DELIVERY),
                "tern_delivery_infinispan_fallback");
    }

    /** {@value #CLIENTS} SMTP sessions sending messages tagged {@code <tag>-<client>-<n>} until stopped. */
    private static final class Load {

        final String tag;
        final Pattern marker;
        final Map<String, String> replies = new ConcurrentHashMap<>();
        final AtomicBoolean sending = new AtomicBoolean(true);
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        final List<Future<?>> running = new ArrayList<>();

        Load(String tag) {
            this.tag = tag;
            this.marker = Pattern.compile(tag + "-(\\d+-\\d+)");
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> send(client)));
            }
        }

        private void send(int client) {
            int n = 0;
            while (sending.get()) {
                try (var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 60_000)) {
                    c.reply();
                    c.command("EHLO load.test");
                    while (sending.get()) {
                        String id = client + "-" + n++;
                        String mailbox = (gone(id) ? "gone" : "rcpt") + (n % 20) + "@remote.test";
                        c.command("MAIL FROM:<load@sender.test>");
                        c.command("RCPT TO:<" + mailbox + ">");
                        c.command("DATA");
                        String reply = c.command("Subject: " + tag + "-" + id + "\r\n\r\n" + tag + "-" + id + "\r\n.");
                        replies.put(id, reply);
                        // A steady 200 msg/s or so, and a pause after a 4xx as a client would make.
                        Thread.sleep(reply.startsWith("4") ? 100 : 20);
                    }
                    c.command("QUIT");
                } catch (Exception e) {
                    // The session broke (ingress gave up on it while Kafka was down): open another.
                }
            }
        }

        static boolean gone(String id) {
            return Integer.parseInt(id.substring(id.indexOf('-') + 1)) % 10 == 0;
        }

        Set<String> accepted() {
            return replies.entrySet().stream().filter(e -> e.getValue().startsWith("250")).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        long refused() {
            return replies.values().stream().filter(r -> r.startsWith("4")).count();
        }

        void awaitAccepted(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (accepted().size() < count) {
                assertThat(System.nanoTime()).as(count + " messages answered 250 within " + timeout)
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        void stop() throws Exception {
            sending.set(false);
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }

        Map<String, Integer> delivered() {
            return copies(false);
        }

        /** Waits for every 250 to be delivered, or bounced to its sender when its mailbox is gone. */
        void assertDeliveredOrBounced() throws InterruptedException {
            Set<String> accepted = accepted();
            Set<String> toSink = accepted.stream().filter(m -> !gone(m)).collect(Collectors.toSet());
            Set<String> bounced = accepted.stream().filter(Load::gone).collect(Collectors.toSet());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            Map<String, Integer> delivered = Map.of();
            Set<String> notices = Set.of();
            while (System.nanoTime() < deadline) {
                delivered = delivered();
                notices = copies(true).keySet();
                if (delivered.keySet().containsAll(toSink) && notices.containsAll(bounced)) {
                    break;
                }
                Thread.sleep(250);
            }
            int duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("KillBackendsIT: %s: %d answered 250 (%d for a refused mailbox), %d answered 4xx;"
                    + " %d delivered (%d duplicates), %d bounce notices%n", tag, accepted.size(), bounced.size(),
                    refused(), delivered.size(), duplicates, notices.size());
            assertThat(delivered.keySet()).as("every 250 for a mailbox that exists was delivered").containsAll(toSink);
            assertThat(notices).as("every 250 for a refused mailbox was bounced to its sender").containsAll(bounced);
        }

        /**
         * Per message, the copies at the sink: of the messages themselves, or ({@code notices}) of
         * the bounce notices sent back to {@code load@sender.test}, which quote the original's headers.
         */
        Map<String, Integer> copies(boolean notices) {
            Map<String, Integer> out = new HashMap<>();
            for (ReceivedMessage m : fixture.sink.messages()) {
                if (m.recipients().contains("load@sender.test") != notices) {
                    continue;
                }
                Matcher matcher = marker.matcher(m.bodyText());
                if (matcher.find()) {
                    out.merge(matcher.group(1), 1, Integer::sum);
                }
            }
            return out;
        }
    }
}
