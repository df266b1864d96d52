package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.milter.Rspamd;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's deployment recipes end to end, on the cluster {@code ./tern-local} runs, with one
 * policy holding both. Firewall: {@code corp.test} is a local domain routed to the internal mail
 * server (the fixture's sink), and mail from the Internet passes a real rspamd on port 25.
 * Hybrid: {@code mailbox.test} is delivered to local mailboxes over LMTP, {@code forward.test} is
 * forwarded to another server. Loopback is not a trusted network: the test client is "the
 * Internet".
 */
class DeploymentModesIT {

    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static Rspamd rspamd;
    private static SmtpSink mailboxes;
    private static SmtpSink forwardTarget;
    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        rspamd = Rspamd.start();
        try {
            mailboxes = SmtpSink.builder().lmtp().hostname("mailstore.test").start();
            forwardTarget = SmtpSink.builder().hostname("forward-mx.test").start();
            fixture = ClusterFixture.startWithPolicy(internalPort -> """
                    relay:
                      local-domains: [corp.test, mailbox.test, forward.test]
                    routes:
                      - match: corp.test
                        via: smtp://127.0.0.1:%d
                      - match: mailbox.test
                        via: lmtp://127.0.0.1:%d
                      - match: forward.test
                        via: smtp://127.0.0.1:%d
                    milters:
                      - name: rspamd
                        address: inet:127.0.0.1:%d
                        listeners: [smtp]
                        timeout: 2m
                    retry: [1m]
                    """.formatted(internalPort, mailboxes.port(), forwardTarget.port(), rspamd.milterPort()),
                    Map.of(), Map.of());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {forwardTarget, mailboxes, rspamd}) {
                closeQuietly(c);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // Cleanup of one peer must not keep the others running.
        }
    }

    private static RawSmtpClient smtp() {
        var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort());
        assertThat(c.reply()).startsWith("220 ");
        assertThat(c.command("EHLO mail.outside.test")).startsWith("250");
        return c;
    }

    private static String message(String to, String marker, String body) {
        return "From: someone@outside.test\r\nTo: " + to + "\r\nSubject: hello " + marker + "\r\n"
                + "Message-ID: <" + marker + "@outside.test>\r\n\r\n" + body + "\r\n" + marker + "\r\n";
    }

    @Test
    void firewallCleanMailFromOutsideReachesTheInternalServerScannedByRspamd() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = smtp()) {
            assertThat(c.command("MAIL FROM:<someone@outside.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<carol@corp.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(message("carol@corp.test", marker, "Lunch on Friday?") + ".")).startsWith("250");
        }
        ReceivedMessage delivered = awaitAt(fixture.sink, marker);
        assertThat(delivered.recipients()).containsExactly("carol@corp.test");
        assertThat(delivered.bodyText()).contains("X-Spamd-Result:");
    }

    @Test
    void firewallGtubeIsRefusedAtEndOfDataAndNeverReachesTheInternalServer() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = smtp()) {
            assertThat(c.command("MAIL FROM:<someone@outside.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<carol@corp.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(message("carol@corp.test", marker, GTUBE) + ".")).startsWith("554 5.7.1");
        }
        // A clean message sent after it, on the same route, bounds the wait: once it has arrived,
        // the refused one would have too.
        String after = UUID.randomUUID().toString();
        try (var c = smtp()) {
            assertThat(c.command("MAIL FROM:<someone@outside.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<carol@corp.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(message("carol@corp.test", after, "Clean follow-up") + ".")).startsWith("250");
        }
        awaitAt(fixture.sink, after);
        assertThat(fixture.sink.messages()).noneMatch(m -> m.bodyText().contains(marker));
    }

    @Test
    void firewallRelayingToAnOutsideDomainIsDeniedToAnUntrustedClient() {
        try (var c = smtp()) {
            assertThat(c.command("MAIL FROM:<someone@outside.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<victim@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(c.command("RCPT TO:<carol@corp.test>")).as("a local recipient still passes").startsWith("250");
        }
    }

    @Test
    void hybridOneMessageGoesToLocalMailboxesOverLmtpAndIsForwardedForTheOtherDomain() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = smtp()) {
            assertThat(c.command("MAIL FROM:<someone@outside.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<a@mailbox.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<b@forward.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(message("a@mailbox.test, b@forward.test", marker, "For both of you") + "."))
                    .startsWith("250");
        }
        ReceivedMessage local = awaitAt(mailboxes, marker);
        ReceivedMessage forwarded = awaitAt(forwardTarget, marker);
        assertThat(local.recipients()).containsExactly("a@mailbox.test");
        assertThat(forwarded.recipients()).containsExactly("b@forward.test");
        assertThat(List.of(local.bodyText(), forwarded.bodyText())).allSatisfy(
                text -> assertThat(text).as("port 25 mail passed rspamd").contains("X-Spamd-Result:"));
        assertThat(fixture.sink.messages()).noneMatch(m -> m.bodyText().contains(marker));
    }

    private static ReceivedMessage awaitAt(SmtpSink sink, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        for (int seen = 1; System.nanoTime() < deadline; seen++) {
            var messages = sink.awaitMessages(seen, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            for (ReceivedMessage m : messages) {
                if (m.bodyText().contains(marker)) {
                    return m;
                }
            }
            seen = messages.size();
        }
        throw new AssertionError("no message with " + marker + " reached " + sink.address() + " within " + DELIVERY);
    }
}
