package dev.tern.ingress.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.config.TernConfig;
import dev.tern.common.dkim.DkimKey;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.ingress.InboundTopic;
import dev.tern.ingress.dkim.DkimSigner;
import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real ingress with SPF and DKIM verification on, asking a real DNS server (knot on
 * loopback): the SMTP replies each SPF result earns under the policy, and the
 * Authentication-Results header on what is queued, with a forged one of our id gone.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:2"))
@QuarkusTestResource(value = EdgeDnsResource.class, restrictToAnnotatedClass = true)
class EdgeChecksIngressIT {

    @Inject
    SmtpListeners listeners;

    @Inject
    TernConfig tern;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private RawSmtpClient smtp(String helo) {
        var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.SMTP));
        assertThat(c.reply()).startsWith("220 ");
        assertThat(c.command("EHLO " + helo)).startsWith("250");
        return c;
    }

    @Test
    void eachSpfResultGetsThePolicysReplyAtMailFrom() throws IOException {
        try (var c = smtp("client.edge.test")) {
            assertThat(c.command("MAIL FROM:<a@fail.edge.test>"))
                    .startsWith("550 5.7.23 SPF fail: fail.edge.test never sends from 127.0.0.1");
            assertThat(c.command("MAIL FROM:<a@soft.edge.test>")).startsWith("451 4.7.23 SPF softfail");
            assertThat(c.command("MAIL FROM:<a@perm.edge.test>")).startsWith("550 5.7.24 SPF permerror for perm.edge.test");
            assertThat(c.command("MAIL FROM:<a@temp.edge.test>")).startsWith("451 4.7.24 SPF temperror for temp.edge.test");
            assertThat(c.command("MAIL FROM:<a@none.edge.test>")).as("no SPF record: none, accepted").startsWith("250");
        }
        try (var c = smtp("fail.edge.test")) {
            assertThat(c.command("MAIL FROM:<>")).as("the null sender is checked by its HELO name")
                    .startsWith("550 5.7.23");
        }
        assertThat(metricsText()).contains("tern_ingress_refused_total{reason=\"spf\"")
                .contains("tern_ingress_auth_results_total{method=\"spf\",result=\"softfail\"");
    }

    @Test
    void queuedInboundMailCarriesOurAuthenticationResultsAndNotTheForgedOnes() throws Exception {
        String marker = UUID.randomUUID().toString();
        String message = "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: checked\r\n\r\n" + marker + "\r\n";
        DkimKey key = DkimKey.load("example.org", "test", Path.of("src/test/resources/test-dkim.pem"));
        byte[] unsigned = message.getBytes(StandardCharsets.UTF_8);
        String signature = DkimSigner.sign(unsigned, key, Instant.now());
        String forged = "Authentication-Results: mx.tern.test; dmarc=pass header.from=example.org\r\n";
        try (var c = smtp("client.edge.test")) {
            assertThat(c.command("MAIL FROM:<alice@pass.edge.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command(forged + signature + message + ".")).startsWith("250 2.0.0");
        }
        QueuedMessage m = InboundTopic.find(tern.kafka().bootstrapServers(),
                q -> new String(q.body(), StandardCharsets.UTF_8).contains(marker), 1, Duration.ofSeconds(15)).get(0);
        String body = new String(m.body(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("Authentication-Results: mx.tern.test;\r\n\tspf=pass smtp.mailfrom=pass.edge.test;\r\n"
                + "\tdkim=pass header.d=example.org")
                .containsOnlyOnce("Authentication-Results:")
                .contains("\tdmarc=pass (p=reject dis=none) header.from=example.org")
                .doesNotContain("header.from=example.org\r\nAuthentication-Results");
        assertThat(metricsText()).contains("tern_ingress_auth_results_total{method=\"spf\",result=\"pass\"")
                .contains("tern_ingress_auth_results_total{method=\"dkim\",result=\"pass\"");
    }

    @Test
    void dmarcRejectsAfterTheFinalDotAndQuarantinesToTheQuarantineMailbox() {
        String marker = UUID.randomUUID().toString();
        // SPF passes for other.test, which is not aligned with the From domains (a different
        // organisational domain): DMARC fails and the From domain's policy applies.
        try (var c = smtp("client.edge.test")) {
            assertThat(c.command("MAIL FROM:<a@other.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            c.command("DATA");
            assertThat(c.command("From: boss@reject.edge.test\r\nSubject: x\r\n\r\nspoofed\r\n."))
                    .startsWith("550 5.7.1 Email rejected per DMARC policy for reject.edge.test");
            assertThat(c.command("MAIL FROM:<a@other.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
            c.command("DATA");
            assertThat(c.command("From: boss@quar.edge.test\r\nSubject: x\r\n\r\n" + marker + "\r\n."))
                    .startsWith("250 2.0.0");
        }
        QueuedMessage m = InboundTopic.find(tern.kafka().bootstrapServers(),
                q -> new String(q.body(), StandardCharsets.UTF_8).contains(marker), 1, Duration.ofSeconds(15)).get(0);
        assertThat(m.envelope().recipients()).extracting(r -> r.address()).containsExactly("quarantine@example.org");
        assertThat(new String(m.body(), StandardCharsets.UTF_8))
                .contains("X-Tern-Quarantine: dmarc=fail (p=quarantine dis=quarantine) header.from=quar.edge.test\r\n")
                .contains("X-Tern-Quarantined-Recipients: bob@example.org\r\n")
                .contains("dmarc=fail");
    }

    @Test
    void unknownLocalRecipientsListedClientsAndFirstAttemptsAreRefusedAtRcpt() {
        try (var c = smtp("client.edge.test")) {
            assertThat(c.command("MAIL FROM:<a@pass.edge.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<nobody@example.org>"))
                    .startsWith("550 5.1.1 <nobody@example.org>: Recipient address rejected");
            assertThat(c.command("RCPT TO:<anyone@catchall.example.org>")).startsWith("250");
            assertThat(c.command("RCPT TO:<Postmaster@example.org>")).as("RFC 5321 §4.5.1").startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("250");
        }
        try (var c = RawSmtpClient.from("127.0.0.2", "127.0.0.1", listeners.port(Listener.SMTP))) {
            c.reply();
            c.command("EHLO listed.edge.test");
            assertThat(c.command("MAIL FROM:<a@pass.edge.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>"))
                    .startsWith("554 5.7.1 Service unavailable; client [127.0.0.2] listed by bl.test");
        }
        try (var c = RawSmtpClient.from("127.0.0.4", "127.0.0.1", listeners.port(Listener.SMTP))) {
            c.reply();
            c.command("EHLO refused.edge.test");
            c.command("MAIL FROM:<a@pass.edge.test>");
            assertThat(c.command("RCPT TO:<bob@example.org>")).as("127.255.255.254 means 'query refused', not listed")
                    .startsWith("250");
        }
        try (var c = RawSmtpClient.from("127.0.0.3", "127.0.0.1", listeners.port(Listener.SMTP))) {
            c.reply();
            c.command("EHLO new.edge.test");
            assertThat(c.command("MAIL FROM:<a" + UUID.randomUUID() + "@pass.edge.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("451 4.7.1 Greylisted");
        }
    }

    private String metricsText() throws IOException {
        try (InputStream in = metrics.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
