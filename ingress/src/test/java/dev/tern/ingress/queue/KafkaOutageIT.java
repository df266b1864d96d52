package dev.tern.ingress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.InboundTopic;
import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.local.testkit.RawSmtpClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Non-negotiable 1 at the front door: kill the Kafka broker while clients are sending. Clients
 * get 451 while it is down, never a 250 for a message that is not in Kafka; once the broker is
 * back, every message that got 250 is in {@code tern.inbound} exactly once.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnBrokerResource.class, restrictToAnnotatedClass = true)
class KafkaOutageIT {

    @Inject
    SmtpListeners listeners;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void clientsGet451WhileKafkaIsDownAndEvery250IsInTheTopicExactlyOnce() throws Exception {
        var replies = new ConcurrentHashMap<String, String>();
        var stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            running.add(clients.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    String marker = "outage-" + thread + "-" + n++;
                    replies.put(marker, send(marker));
                }
            }));
        }
        // Each phase lasts until what it is about has happened, not a guessed time: a busy
        // machine takes longer to notice a dead broker and to reconnect to a restarted one.
        awaitReplies(replies, "250", 3);
        OwnBrokerResource.killBroker();
        assertThat(awaitReadiness(503)).as("readiness while Kafka is down").isEqualTo(503);
        awaitReplies(replies, "451", 1);
        OwnBrokerResource.restartBroker();
        assertThat(awaitReadiness(200)).as("readiness once Kafka is back").isEqualTo(200);
        awaitReplies(replies, "250", count(replies, "250") + 3);
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        Map<String, Long> byClass = replies.values().stream()
                .collect(Collectors.groupingBy(r -> r.substring(0, 3), Collectors.counting()));
        assertThat(byClass.get("250")).as("accepted before and after the outage: %s", byClass).isGreaterThan(2);
        assertThat(byClass.get("451")).as("temporary failures while Kafka was down: %s", byClass).isPositive();
        assertThat(byClass.keySet()).as("only 250 or 451 replies").containsOnly("250", "451");

        List<String> accepted = replies.entrySet().stream().filter(e -> e.getValue().startsWith("250"))
                .map(Map.Entry::getKey).toList();
        var inTopic = InboundTopic.find(OwnBrokerResource.bootstrap(),
                m -> new String(m.body(), StandardCharsets.UTF_8).contains("outage-"), accepted.size(),
                Duration.ofSeconds(30));
        Map<String, Long> copies = inTopic.stream().map(m -> marker(new String(m.body(), StandardCharsets.UTF_8)))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        for (String marker : accepted) {
            assertThat(copies.get(marker)).as("copies of %s, which got 250", marker).isEqualTo(1L);
        }
    }

    @Test
    void anInfinispanOutageLeavesIngressReadyAndAccepting() throws Exception {
        OwnBrokerResource.killInfinispan();
        assertThat(readiness()).as("readiness with Infinispan down: ingress keeps nothing there").isEqualTo(200);
        assertThat(send("no-infinispan-1")).startsWith("250");
    }

    /** Polls readiness until it is {@code status} (up to 90 s); the last status seen. */
    private int awaitReadiness(int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int seen = readiness();
        while (seen != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = readiness();
        }
        return seen;
    }

    private static long count(Map<String, String> replies, String code) {
        return replies.values().stream().filter(r -> r.startsWith(code)).count();
    }

    /** Waits (up to 90 s) until the clients have had {@code atLeast} replies with {@code code}. */
    private static void awaitReplies(Map<String, String> replies, String code, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count(replies, code) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(count(replies, code)).as("%s replies", code).isGreaterThanOrEqualTo(atLeast);
    }

    private int readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready.toURI()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String send(String marker) {
        try (var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.SMTP), 30_000)) {
            c.reply();
            c.command("EHLO outage.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            String reply = c.command("Subject: outage\r\n\r\n" + marker + "\r\n.");
            c.command("QUIT");
            return reply == null ? "---" : reply;
        } catch (RuntimeException e) {
            return "ERR " + e;
        }
    }

    private static String marker(String body) {
        int i = body.indexOf("outage-");
        int end = body.indexOf('\r', i);
        return body.substring(i, end);
    }
}
