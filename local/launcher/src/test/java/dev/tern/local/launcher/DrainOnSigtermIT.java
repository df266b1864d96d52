package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.RawSmtpClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling update sends SIGTERM to an ingress pod: the transaction in flight finishes and is
 * queued (250), the session is then told 421 4.3.2, new clients are turned away, and the message
 * is delivered.
 */
class DrainOnSigtermIT {

    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        fixture = ClusterFixture.start("[2s]", Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * Waits until ingress has begun draining (a new connection is greeted 421 4.3.2), so the
     * in-flight transaction below ends during the drain, however long the JVM takes to act on SIGTERM.
     */
    private static void awaitDraining() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String greeting = "";
        while (!greeting.startsWith("421 4.3.2") && System.nanoTime() < deadline) {
            try (var probe = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 5_000)) {
                greeting = probe.reply();
            } catch (RuntimeException e) {
                greeting = ""; // not listening, or closed before a greeting: ask again
            }
            if (!greeting.startsWith("421 4.3.2")) {
                Thread.sleep(100);
            }
        }
        assertThat(greeting).as("a new connection's greeting once draining").startsWith("421 4.3.2");
    }

    @Test
    void inFlightTransactionFinishesThenTheSessionIsTold421() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort(), 30_000)) {
            assertThat(c.reply()).startsWith("220");
            c.command("EHLO drain.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@remote.test>");
            assertThat(c.command("DATA")).startsWith("354");
            c.send("Subject: drain\r\n\r\n" + marker + "\r\n");

            fixture.cluster.process(Service.INGRESS).handle().destroy(); // SIGTERM
            awaitDraining();

            c.send(".\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
            String next = c.command("NOOP");
            assertThat(next).startsWith("421 4.3.2");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean delivered = false;
        while (!delivered && System.nanoTime() < deadline) {
            delivered = fixture.sink.messages().stream().anyMatch(m -> m.bodyText().contains(marker));
            Thread.sleep(200);
        }
        assertThat(delivered).as("the drained message reached the remote server").isTrue();
        assertThat(fixture.cluster.process(Service.INGRESS).awaitExit(Duration.ofSeconds(40)))
                .as("ingress exit code after draining").isIn(0, 143);
    }
}
