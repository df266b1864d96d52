package dev.tern.ingress.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.ingress.listen.Listener;
import dev.tern.ingress.listen.SmtpListeners;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.smtp.SmtpSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The proxy listener end to end with a real Debian Postfix as the upstream (the gateway of
 * {@code dest.test}, see {@link PostfixUpstreamResource}): RCPT verdicts are Postfix's own, good
 * mail reaches Postfix's next hop, and the client side keeps the normal listener's defences.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:2"))
@QuarkusTestResource(value = PostfixUpstreamResource.class, restrictToAnnotatedClass = true)
class ProxyModeIT {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Inject
    SmtpListeners listeners;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private RawSmtpClient connect() {
        var c = new RawSmtpClient("127.0.0.1", listeners.port(Listener.PROXY));
        assertThat(c.reply()).startsWith("220 ");
        return c;
    }

    @Test
    void anUnknownUserIsRefusedAtRcptWithPostfixsOwnReply() {
        try (var c = connect()) {
            assertThat(c.command("EHLO client.test")).startsWith("250");
            assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<nobody@dest.test>")).isEqualTo("550 5.1.1 <nobody@dest.test>: "
                    + "Recipient address rejected: User unknown in relay recipient table\r\n");
            assertThat(c.command("RCPT TO:<someone@elsewhere.test>")).startsWith("554 5.7.1 <someone@elsewhere.test>:"
                    + " Relay access denied");
            assertThat(c.command("DATA")).startsWith("554 5.5.1");
        }
        assertThat(PostfixUpstreamResource.postfix().log()).contains("User unknown in relay recipient table");
    }

    @Test
    void aGoodMessageIsRelayedToPostfixAndReachesItsNextHop() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<sender@client.test>");
            assertThat(c.command("RCPT TO:<alice@dest.test>")).startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354");
            // Postfix's own reply to the end of data: its queue id, not Tern's.
            assertThat(c.command("Subject: proxied\r\n\r\n" + marker + "\r\n.")).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.command("QUIT")).startsWith("221");
        }
        ReceivedMessage m = awaitMessage(marker);
        assertThat(m.sender()).isEqualTo("sender@client.test");
        assertThat(m.recipients()).containsExactly("alice@dest.test");
        assertThat(metricsText()).contains("tern_ingress_proxy_sessions_total")
                .contains("tern_ingress_proxy_messages_total{outcome=\"relayed\"");
    }

    @Test
    void bdatFromTheClientReachesAnUpstreamWithoutChunkingAsData() throws Exception {
        String marker = UUID.randomUUID().toString();
        String part1 = "Subject: chunked\r\n\r\n";
        String part2 = marker + "\r\n";
        try (var c = connect()) {
            assertThat(c.command("EHLO client.test")).contains("CHUNKING");
            c.command("MAIL FROM:<sender@client.test>");
            c.command("RCPT TO:<alice@dest.test>");
            c.send("BDAT " + part1.length() + "\r\n" + part1);
            assertThat(c.reply()).startsWith("250");
            c.send("BDAT " + part2.length() + " LAST\r\n" + part2);
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
        }
        assertThat(awaitMessage(marker).bodyText()).contains("Subject: chunked");
    }

    @Test
    void pipelinedCommandsGetTheUpstreamsRepliesInOrder() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = connect()) {
            assertThat(c.command("EHLO client.test")).contains("PIPELINING");
            c.send("MAIL FROM:<sender@client.test>\r\nRCPT TO:<alice@dest.test>\r\nRCPT TO:<nobody@dest.test>\r\n"
                    + "DATA\r\n");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("550 5.1.1 <nobody@dest.test>");
            assertThat(c.reply()).startsWith("354");
            c.send("Subject: pipelined\r\n\r\n" + marker + "\r\n.\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(c.reply()).startsWith("221");
        }
        assertThat(awaitMessage(marker).recipients()).containsExactly("alice@dest.test");
    }

    @Test
    void startTlsOnBothSides() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (var c = connect()) {
            assertThat(c.command("EHLO client.test")).contains("STARTTLS");
            assertThat(c.startTls()).startsWith("220");
            assertThat(c.tlsProtocol()).startsWith("TLS");
            assertThat(c.command("EHLO client.test")).startsWith("250");
            c.command("MAIL FROM:<sender@client.test>");
            c.command("RCPT TO:<alice@dest.test>");
            c.command("DATA");
            assertThat(c.command("Subject: tls\r\n\r\n" + marker + "\r\n.")).startsWith("250 2.0.0 Ok: queued as ");
        }
        // Postfix's Received header says the proxy reached it over TLS.
        assertThat(awaitMessage(marker).bodyText()).containsPattern("\\(using TLSv1\\.[23] with cipher");
    }

    @Test
    void aSmugglingAttemptIsRefusedLikeOnTheNormalListenerAndNothingReachesPostfix() throws Exception {
        String marker = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        try (var c = connect()) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<sender@client.test>");
            c.command("RCPT TO:<alice@dest.test>");
            c.command("DATA");
            c.send("Subject: one\r\n\r\n" + marker + "\n.\nMAIL FROM:<smuggled@evil.test>\nRCPT TO:<alice@dest.test>\n"
                    + "DATA\n" + marker + "-smuggled\r\n.\r\n");
            assertThat(c.reply()).startsWith("550 5.5.2");
            // The session goes on; the upstream transaction left open is reset before the next MAIL.
            assertThat(c.command("MAIL FROM:<sender@client.test>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<alice@dest.test>")).startsWith("250 2.1.5");
            c.command("DATA");
            assertThat(c.command("Subject: after\r\n\r\n" + good + "\r\n.")).startsWith("250 2.0.0 Ok: queued as ");
        }
        awaitMessage(good);
        assertThat(PostfixUpstreamResource.sink().messages()).noneMatch(m -> m.bodyText().contains(marker));
    }

    /** The message holding {@code marker}, once Postfix has passed it on. */
    static ReceivedMessage awaitMessage(String marker) throws InterruptedException {
        try {
            return PostfixUpstreamResource.sink().awaitMessage(m -> m.bodyText().contains(marker), DELIVERY);
        } catch (AssertionError timedOut) {
            throw new AssertionError("no message with " + marker + " reached Postfix's next hop; Postfix log:\n"
                    + PostfixUpstreamResource.postfix().log(), timedOut);
        }
    }

    private String metricsText() throws Exception {
        try (InputStream in = metrics.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
