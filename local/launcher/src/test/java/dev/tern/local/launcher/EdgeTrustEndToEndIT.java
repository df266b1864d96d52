package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.local.testkit.Dkimpy;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.dns.KnotDns;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge checks end to end, on the cluster {@code ./tern-local} runs, with a real DNS server
 * (knot on loopback) publishing SPF, DKIM and DMARC records: a spoofed message claiming a
 * {@code p=reject} domain is refused after the final dot, a genuine one reaches the remote
 * server with our Authentication-Results, an unknown local recipient is refused at RCPT, and a
 * greylisted client's retry passes on a second ingress process (the triplets live in Infinispan).
 */
class EdgeTrustEndToEndIT {

    private static KnotDns dns;
    private static ClusterFixture fixture;
    private static KeyPair key;

    @BeforeAll
    static void start() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] publicKey = key.getPublic().getEncoded();
        String record = "v=DKIM1; k=ed25519; p="
                + Base64.getEncoder().encodeToString(Arrays.copyOfRange(publicKey, publicKey.length - 32, publicKey.length));
        dns = KnotDns.builder()
                .zone("genuine.test", """
                        @ TXT "v=spf1 ip4:127.0.0.0/8 -all"
                        _dmarc TXT "v=DMARC1; p=reject"
                        sel._domainkey TXT "%s"
                        """.formatted(record))
                .zone("attacker.test", "@ TXT \"v=spf1 ip4:127.0.0.0/8 -all\"")
                .start();
        try {
            // Loopback is deliberately not a trusted network: our test client is "the Internet".
            fixture = ClusterFixture.startWithPolicy(sinkPort -> """
                    relay:
                      local-domains: [example.org]
                      recipients: recipients.txt
                    routes:
                      - match: example.org
                        via: smtp://127.0.0.1:%d
                    retry: [1m]
                    checks:
                      authserv-id: mx.tern.test
                      spf: {}
                      dkim: {}
                      dmarc: {}
                      greylisting: {delay: 2s, retry-window: 1h, whitelist: [127.0.0.1/32]}
                    """.formatted(sinkPort), Map.of("recipients.txt", "bob@example.org\n"),
                    Map.of(Service.INGRESS, Map.of("tern.dns.servers", dns.server())));
        } catch (RuntimeException e) {
            dns.close();
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
            dns.close();
        }
    }

    private static RawSmtpClient smtp(String helo) {
        var c = new RawSmtpClient("127.0.0.1", fixture.smtpPort());
        assertThat(c.reply()).startsWith("220 ");
        assertThat(c.command("EHLO " + helo)).startsWith("250");
        return c;
    }

    @Test
    void aSpoofedMessageClaimingARejectDomainIsRefusedWith571() {
        String marker = UUID.randomUUID().toString();
        try (var c = smtp("mail.attacker.test")) {
            assertThat(c.command("MAIL FROM:<bounce@attacker.test>")).as("SPF passes for attacker.test").startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("From: CEO <ceo@genuine.test>\r\nTo: bob@example.org\r\nSubject: wire the money\r\n\r\n"
                    + marker + "\r\n.")).startsWith("550 5.7.1");
        }
        assertThat(fixture.sink.messages()).noneMatch(m -> m.bodyText().contains(marker));
    }

    @Test
    void aGenuineMessageIsDeliveredWithPassingResults() throws Exception {
        String marker = UUID.randomUUID().toString();
        String message = "From: CEO <ceo@genuine.test>\r\nTo: bob@example.org\r\nSubject: hello\r\n"
                + "Message-ID: <" + marker + "@genuine.test>\r\n\r\n" + marker + "\r\n";
        byte[] pkcs8 = key.getPrivate().getEncoded();
        String seed = Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        String signature = Dkimpy.sign(message.getBytes(StandardCharsets.UTF_8), "sel", "genuine.test", seed,
                "ed25519-sha256", "relaxed/relaxed", false);
        try (var c = smtp("mail.genuine.test")) {
            assertThat(c.command("MAIL FROM:<ceo@genuine.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(signature + message + ".")).startsWith("250 2.0.0");
        }
        ReceivedMessage delivered = awaitAtSink(marker, Duration.ofSeconds(30));
        String text = delivered.bodyText().replace("\r\n\t", " ");
        assertThat(text).containsPattern("Authentication-Results: mx.tern.test; spf=pass [^\r\n]*; dkim=pass "
                + "[^\r\n]*; dmarc=pass ");
        assertThat(text).contains("smtp.mailfrom=genuine.test").contains("header.d=genuine.test")
                .contains("header.from=genuine.test");
    }

    @Test
    void anUnknownLocalRecipientIsRefusedAtRcpt() {
        try (var c = smtp("mail.genuine.test")) {
            assertThat(c.command("MAIL FROM:<ceo@genuine.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<nobody@example.org>")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
        }
    }

    @Test
    void aGreylistedRetryPassesOnASecondIngress() throws Exception {
        // 127.0.0.3 is not whitelisted (127.0.0.1, the other tests' client, is).
        String sender = "ceo+" + UUID.randomUUID() + "@genuine.test";
        try (var c = RawSmtpClient.from("127.0.0.3", "127.0.0.1", fixture.smtpPort())) {
            c.reply();
            c.command("EHLO mail.genuine.test");
            assertThat(c.command("MAIL FROM:<" + sender + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("451 4.7.1 Greylisted");
        }
        Instant firstSeen = Instant.now();
        var second = fixture.cluster.startReplica(Service.INGRESS, "ingress-2");
        fixture.cluster.awaitReady(second);
        // The delay is what is under test: the retry must come after it, as a real MTA's would.
        Duration left = Duration.between(Instant.now(), firstSeen.plusSeconds(3));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        try (var c = RawSmtpClient.from("127.0.0.3", "127.0.0.1", second.smtpPort())) {
            assertThat(c.reply()).startsWith("220 ");
            c.command("EHLO mail.genuine.test");
            assertThat(c.command("MAIL FROM:<" + sender + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).as("the first attempt was seen by the other pod")
                    .startsWith("250");
        }
    }

    private static ReceivedMessage awaitAtSink(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 1; System.nanoTime() < deadline; seen++) {
            var messages = fixture.sink.awaitMessages(seen, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            for (ReceivedMessage m : messages) {
                if (m.bodyText().contains(marker)) {
                    return m;
                }
            }
            seen = messages.size();
        }
        throw new AssertionError("no message with " + marker + " reached the sink within " + timeout);
    }
}
