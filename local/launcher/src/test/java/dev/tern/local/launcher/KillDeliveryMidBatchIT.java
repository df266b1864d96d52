package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.RawSmtpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Non-negotiable 1 in the delivery tier: 2,000 messages in flight, the delivery process killed
 * with SIGKILL twice mid-delivery and restarted. Every message reaches the remote server; the
 * duplicates (a remote 250 whose offset commit and journal write the kill prevented) are counted
 * and must stay a handful.
 */
class KillDeliveryMidBatchIT {

    private static final int MESSAGES = 2000;
    private static final int CLIENTS = 8;
    private static final Pattern MARKER = Pattern.compile("kill-batch-(\\d+)");
    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ClusterFixture.start("[2s, 5s]", Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyMessageArrivesDespiteTwoKillsOfDelivery() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            sent.add(clients.submit(() -> send(client)));
        }

        awaitUnique(300, Duration.ofSeconds(120));
        fixture.cluster.kill(Service.DELIVERY);
        fixture.cluster.startService(Service.DELIVERY);
        fixture.cluster.awaitReady(Service.DELIVERY);

        awaitUnique(1200, Duration.ofSeconds(180));
        fixture.cluster.kill(Service.DELIVERY);
        fixture.cluster.startService(Service.DELIVERY);
        fixture.cluster.awaitReady(Service.DELIVERY);

        int accepted = 0;
        for (Future<Integer> f : sent) {
            accepted += f.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertThat(accepted).as("messages ingress answered 250").isEqualTo(MESSAGES);

        Map<Integer, Integer> copies = awaitUnique(MESSAGES, Duration.ofSeconds(240));
        int total = copies.values().stream().mapToInt(Integer::intValue).sum();
        int duplicates = total - copies.size();
        System.out.printf("KillDeliveryMidBatchIT: %d messages, %d received, %d duplicates after 2 kills%n",
                MESSAGES, total, duplicates);
        assertThat(copies).hasSize(MESSAGES);
        assertThat(duplicates).as("duplicates after two SIGKILLs").isLessThanOrEqualTo(200);
    }

    private static int send(int client) {
        int per = MESSAGES / CLIENTS;
        int ok = 0;
        try (var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 30_000)) {
            c.reply();
            c.command("EHLO load.test");
            for (int i = 0; i < per; i++) {
                int n = client * per + i;
                c.command("MAIL FROM:<load@sender.test>");
                c.command("RCPT TO:<rcpt" + (n % 50) + "@remote.test>");
                c.command("DATA");
                if (c.command("Subject: kill-batch-" + n + "\r\n\r\nkill-batch-" + n + "\r\n.").startsWith("250")) {
                    ok++;
                }
            }
            c.command("QUIT");
        }
        return ok;
    }

    private static Map<Integer, Integer> awaitUnique(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Integer> copies = new HashMap<>();
        while (System.nanoTime() < deadline) {
            copies = new HashMap<>();
            for (ReceivedMessage m : fixture.sink.messages()) {
                var matcher = MARKER.matcher(m.bodyText());
                if (matcher.find()) {
                    copies.merge(Integer.parseInt(matcher.group(1)), 1, Integer::sum);
                }
            }
            if (copies.size() >= count) {
                return copies;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("only " + copies.size() + " of " + count + " distinct messages reached the sink within "
                + timeout);
    }
}
