package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.runtime.smtp.ReceivedMessage;
import dev.tern.local.runtime.smtp.SinkReply;
import dev.tern.local.runtime.smtp.SinkRequest;
import dev.tern.local.runtime.testing.RawSmtpClient;
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
import org.junit.jupiter.api.Test;

/**
 * Non-negotiable 1 across the whole system: the Kafka broker is killed with SIGKILL while clients
 * send and delivery and bounce consume, then started again on its data directory. Every message
 * ingress answered 250 reaches the remote server, and every one whose recipient the remote server
 * refuses comes back to its sender as a bounce; while the broker is down ingress answers no 250.
 */
class KillKafkaTest {

    private static final int CLIENTS = 4;
    private static final Pattern MARKER = Pattern.compile("kafka-kill-(\\d+-\\d+)");
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
    void every250IsDeliveredOrBouncedAcrossABrokerKill() throws Exception {
        var replies = new ConcurrentHashMap<String, String>();
        var sending = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> send(client, sending, replies)));
        }
        try {
            awaitAccepted(replies, 200, Duration.ofSeconds(60));
            fixture.cluster.backends().killKafka();
            long killedAt = System.nanoTime();
            Thread.sleep(5000);
            fixture.cluster.backends().restartKafka();
            System.out.printf("KillKafkaTest: broker down for %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
            int before = accepted(replies).size();
            awaitAccepted(replies, before + 200, Duration.ofSeconds(120));
        } finally {
            sending.set(false);
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }

        Set<String> accepted = accepted(replies);
        Set<String> toSink = accepted.stream().filter(m -> !gone(m)).collect(Collectors.toSet());
        Set<String> bounced = accepted.stream().filter(KillKafkaTest::gone).collect(Collectors.toSet());
        long refused = replies.values().stream().filter(r -> r.startsWith("4")).count();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        Map<String, Integer> delivered = Map.of();
        Set<String> notices = Set.of();
        while (System.nanoTime() < deadline) {
            delivered = copies(false);
            notices = copies(true).keySet();
            if (delivered.keySet().containsAll(toSink) && notices.containsAll(bounced)) {
                break;
            }
            Thread.sleep(250);
        }
        int duplicates = delivered.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("KillKafkaTest: %d answered 250 (%d for a refused mailbox), %d answered 4xx; %d delivered"
                + " (%d duplicates), %d bounce notices%n", accepted.size(), bounced.size(), refused,
                delivered.size(), duplicates, notices.size());
        assertThat(delivered.keySet()).as("every 250 for a mailbox that exists was delivered").containsAll(toSink);
        assertThat(notices).as("every 250 for a refused mailbox was bounced to its sender").containsAll(bounced);
        assertThat(refused).as("clients were told to retry while the broker was down").isPositive();
    }

    private static boolean gone(String marker) {
        return Integer.parseInt(marker.substring(marker.indexOf('-') + 1)) % 10 == 0;
    }

    /** Sends until told to stop; records each message's reply to the end of its data. */
    private static void send(int client, AtomicBoolean sending, Map<String, String> replies) {
        int n = 0;
        while (sending.get()) {
            try (var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 60_000)) {
                c.reply();
                c.command("EHLO load.test");
                while (sending.get()) {
                    String marker = client + "-" + n++;
                    String mailbox = (gone(marker) ? "gone" : "rcpt") + (n % 20) + "@remote.test";
                    c.command("MAIL FROM:<load@sender.test>");
                    c.command("RCPT TO:<" + mailbox + ">");
                    c.command("DATA");
                    String reply = c.command("Subject: kafka-kill-" + marker + "\r\n\r\nkafka-kill-" + marker + "\r\n.");
                    replies.put(marker, reply);
                    if (reply.startsWith("4")) {
                        Thread.sleep(100); // as a client would back off before the next try
                    }
                }
                c.command("QUIT");
            } catch (Exception e) {
                // The session broke (ingress gave up on it while Kafka was down): open another.
            }
        }
    }

    private static Set<String> accepted(Map<String, String> replies) {
        return replies.entrySet().stream().filter(e -> e.getValue().startsWith("250")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static void awaitAccepted(Map<String, String> replies, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted(replies).size() < count) {
            assertThat(System.nanoTime()).as(count + " messages answered 250 within " + timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Per marker, the copies at the sink: of the messages themselves, or ({@code notices}) of the
     * bounce notices sent back to {@code load@sender.test}, which quote the original's headers.
     */
    private static Map<String, Integer> copies(boolean notices) {
        Map<String, Integer> out = new HashMap<>();
        for (ReceivedMessage m : fixture.sink.messages()) {
            boolean notice = m.recipients().contains("load@sender.test");
            if (notice != notices) {
                continue;
            }
            Matcher matcher = MARKER.matcher(m.bodyText());
            if (matcher.find()) {
                out.merge(matcher.group(1), 1, Integer::sum);
            }
        }
        return out;
    }
}
