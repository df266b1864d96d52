package dev.tern.ingress.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.config.TernConfig;
import dev.tern.common.queue.QueuedMessage;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.ingress.InboundTopic;
import dev.tern.local.testkit.Dkimpy;
import dev.tern.local.testkit.RawSmtpClient;
import dev.tern.local.testkit.TernClusterResource;
import dev.tern.local.testkit.TestAdminTokens;
import dev.tern.smtp.dsn.Notify;
import dev.tern.smtp.dsn.OriginalRecipient;
import dev.tern.smtp.dsn.Ret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The real ingress over real sockets, publishing to a real Kafka broker: what a client sees
 * byte for byte, and what lands in {@code tern.inbound}.
 */
@QuarkusTest
@QuarkusTestResource(value = TernClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "topics", value = "tern.inbound:2,tern.events:1"))
class SmtpIngressIT {

    @Inject
    SmtpListeners listeners;

    @Inject
    TernConfig tern;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/admin/")
    URL admin;

    /** Ingress has no admin routes yet; the guard covers the whole of /admin all the same. */
    @Test
    void everyAdminPathNeedsATokenWhileHealthAndMetricsStayOpen() throws Exception {
        var http = HttpClient.newHttpClient();
        for (String method : List.of("GET", "POST")) {
            var anonymous = http.send(HttpRequest.newBuilder(admin.toURI().resolve("anything"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(method).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(method).isPresent();
            var operator = http.send(HttpRequest.newBuilder(admin.toURI().resolve("anything"))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", TestAdminTokens.bearer(TestAdminTokens.OPERATOR)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(operator.statusCode()).as(method + ": past the guard, no such route").isEqualTo(404);
        }
        for (URL open : List.of(metrics, ready)) {
            assertThat(http.send(HttpRequest.newBuilder(open.toURI()).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as(open.toString()).isEqualTo(200);
        }
    }

    private RawSmtpClient connect(Listener l) {
        var c = new RawSmtpClient("127.0.0.1", listeners.port(l));
        assertThat(c.reply()).startsWith("220 mx.tern.test");
        return c;
    }

    private List<QueuedMessage> published(String marker, int min) {
        return InboundTopic.find(tern.kafka().bootstrapServers(),
                m -> new String(m.body(), StandardCharsets.UTF_8).contains(marker), min, Duration.ofSeconds(15));
    }

    @Test
    void acceptsMailForLocalDomainAndPublishesItAfterTheAck() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SMTP)) {
            assertThat(c.command("EHLO client.test")).contains("250-PIPELINING").contains("250-SIZE 200000")
                    .contains("250-STARTTLS").doesNotContain("AUTH");
            assertThat(c.command("MAIL FROM:<alice@sender.test> RET=HDRS ENVID=env1")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org"))
                    .startsWith("250 2.1.5");
            assertThat(c.command("DATA")).startsWith("354");
            String reply = c.command("Subject: test\r\n\r\n" + marker + "\r\n..leading dot\r\n.");
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            String id = reply.substring("250 2.0.0 Ok: queued as ".length()).trim();
            assertThat(c.command("QUIT")).startsWith("221");

            var found = published(marker, 1);
            assertThat(found).hasSize(1);
            QueuedMessage m = found.get(0);
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.sender()).isEqualTo("alice@sender.test");
            assertThat(m.recipients()).extracting(QueuedRecipient::address).containsExactly("bob@example.org");
            assertThat(m.recipients().get(0).notifyOn()).containsExactlyInAnyOrder(Notify.SUCCESS,
                    Notify.FAILURE);
            assertThat(m.recipients().get(0).orcpt()).isEqualTo(OriginalRecipient.rfc822("bob@example.org"));
            assertThat(m.envelope().ret()).isEqualTo(Ret.HDRS);
            assertThat(m.envelope().envid()).isEqualTo("env1");
            assertThat(m.provenance().clientIp()).isEqualTo("127.0.0.1");
            String body = new String(m.body(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("Received: from client.test (unknown [127.0.0.1])\r\n\tby mx.tern.test (Tern) with ESMTP id " + id);
            assertThat(body).contains("\r\n.leading dot\r\n").endsWith(marker + "\r\n.leading dot\r\n");
        }
    }

    @Test
    void writesTheAcceptedTraceRecordAfterTheReply() {
        String marker = UUID.randomUUID().toString();
        String id;
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO trace-client.test");
            c.command("MAIL FROM:<alice@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("RCPT TO:<carol@example.org>");
            c.command("DATA");
            String reply = c.command("Message-ID: <" + marker + "@sender.test>\r\nSubject: t\r\n\r\nbody\r\n.");
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            id = reply.substring("250 2.0.0 Ok: queued as ".length()).trim();
            c.command("QUIT");
        }
        var event = InboundTopic.accepted(tern.kafka().bootstrapServers(), id, Duration.ofSeconds(15));
        assertThat(event).as("accepted record of " + id).isPresent();
        var e = event.get();
        assertThat(e.kind()).isEqualTo("accepted");
        assertThat(e.messageId()).isEqualTo("<" + marker + "@sender.test>");
        assertThat(e.sender()).isEqualTo("alice@sender.test");
        assertThat(e.recipients()).containsExactly("bob@example.org", "carol@example.org");
        assertThat(e.clientIp()).isEqualTo("127.0.0.1");
        assertThat(e.helo()).isEqualTo("trace-client.test");
        assertThat(e.listener()).isEqualTo("smtp");
        assertThat(e.pod()).isNotBlank();
        assertThat(e.size()).isGreaterThan(40);
        assertThat(e.quarantine()).isNull();
        assertThat(e.timestamp()).isGreaterThan(0);
    }

    @Test
    void refusesToRelayForUntrustedUnauthenticatedClients() {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@sender.test>");
            assertThat(c.command("RCPT TO:<victim@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(c.command("RCPT TO:<victim%elsewhere.test@example.org>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<\"victim@elsewhere.test\"@example.org>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<elsewhere.test!victim@example.org>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<@example.org:victim@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(c.command("RCPT TO:<victim@[192.0.2.1]>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<Postmaster>")).startsWith("250");
        }
    }

    @Test
    void submissionNeedsTlsThenAuthThenRelays() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SUBMISSION)) {
            assertThat(c.command("EHLO mua.test")).doesNotContain("AUTH");
            assertThat(c.command("MAIL FROM:<alice@example.org>")).startsWith("530 5.7.0");
            assertThat(c.startTls()).startsWith("220");
            assertThat(c.command("EHLO mua.test")).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            String bad = Base64.getEncoder().encodeToString("\0alice\0wrong".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + bad)).startsWith("535 5.7.8");
            String good = Base64.getEncoder().encodeToString("\0alice\0s3cret-pass".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + good)).startsWith("235 2.7.0");
            assertThat(c.command("MAIL FROM:<alice@example.org>")).startsWith("250");
            assertThat(c.command("RCPT TO:<friend@elsewhere.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: s\r\n\r\n" + marker + "\r\n.")).startsWith("250 2.0.0");
        }
        QueuedMessage m = published(marker, 1).get(0);
        assertThat(m.provenance().authIdentity()).isEqualTo("alice");
        assertThat(m.provenance().tls().protocol()).startsWith("TLSv1.");
        String body = new String(m.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("with ESMTPSA id " + m.id()).contains("\r\nMessage-ID: <" + m.id() + "@mx.tern.test>\r\n")
                .contains("\r\nDate: ").contains("(using TLSv1.");
    }

    @Test
    void anAuthenticatedUserSendsOnlyAsItsOwnAddressesAndIsSignedOnlyForDomainsItOwns() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SUBMISSION)) {
            c.command("EHLO mua.test");
            c.startTls();
            c.command("EHLO mua.test");
            String login = Base64.getEncoder().encodeToString("\0mallory\0s3cret-pass".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + login)).startsWith("235 2.7.0");
            assertThat(c.command("MAIL FROM:<alice@example.org>"))
                    .startsWith("553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user mallory");
            assertThat(c.command("MAIL FROM:<mallory+lists@example.org>")).startsWith("250");
            assertThat(c.command("RCPT TO:<friend@elsewhere.test>")).startsWith("250");
            c.command("DATA");
            assertThat(c.command("From: The Boss <alice@example.org>\r\nSubject: s\r\n\r\nhi\r\n."))
                    .as("the From header is checked too").startsWith("553 5.7.1 <alice@example.org>");
            assertThat(c.command("MAIL FROM:<mallory@example.org>")).startsWith("250");
            assertThat(c.command("RCPT TO:<friend@elsewhere.test>")).startsWith("250");
            c.command("DATA");
            assertThat(c.command("From: mallory@example.org\r\nSubject: s\r\n\r\n" + marker + "\r\n."))
                    .startsWith("250 2.0.0");
        }
        assertThat(new String(published(marker, 1).get(0).body(), StandardCharsets.UTF_8))
                .as("one address is not the domain: no signature").doesNotContain("DKIM-Signature");
    }

    @Test
    void signsSubmittedMailWithTheDkimKeyOfItsFromDomainAndNotInboundMail() throws Exception {
        String marker = UUID.randomUUID().toString();
        String inbound = UUID.randomUUID().toString();
        String message = "From: Alice <alice@example.org>\r\nTo: friend@elsewhere.test\r\nSubject: signed\r\n\r\n";
        try (var c = connect(Listener.SUBMISSION)) {
            c.command("EHLO mua.test");
            c.startTls();
            c.command("EHLO mua.test");
            String good = Base64.getEncoder().encodeToString("\0alice\0s3cret-pass".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + good)).startsWith("235 2.7.0");
            c.command("MAIL FROM:<alice@example.org>");
            c.command("RCPT TO:<friend@elsewhere.test>");
            c.command("DATA");
            assertThat(c.command(message + marker + "\r\n.")).startsWith("250 2.0.0");
        }
        // The same From on port 25 from an untrusted client is inbound mail: not ours to sign.
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@example.org>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            assertThat(c.command(message + inbound + "\r\n.")).startsWith("250 2.0.0");
        }

        byte[] signed = published(marker, 1).get(0).body();
        assertThat(new String(signed, StandardCharsets.UTF_8)).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;");
        String record = "v=DKIM1; k=ed25519; p=" + Files.readString(Path.of("src/test/resources/test-dkim.pub")).strip();
        assertThat(Dkimpy.verifies(signed, "test._domainkey.example.org.", record)).as("dkimpy verifies it").isTrue();
        assertThat(new String(published(inbound, 1).get(0).body(), StandardCharsets.UTF_8))
                .startsWith("Received: ").doesNotContain("DKIM-Signature");
    }

    @Test
    void implicitTlsListenerSpeaksTlsFromTheFirstByte() {
        try (var c = RawSmtpClient.tls("127.0.0.1", listeners.port(Listener.SMTPS))) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.tlsProtocol()).startsWith("TLSv1.");
            assertThat(c.command("EHLO mua.test")).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<alice@example.org>")).startsWith("530 5.7.0");
        }
    }

    @Test
    void refusesClientInitiatedTlsRenegotiation() throws Exception {
        var tls = RawSmtpClient.trustingContext("TLSv1.2");
        try (var socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", listeners.port(Listener.SMTPS))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(5000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220 ");
            String afterRenegotiation;
            try {
                socket.startHandshake(); // on an established TLS 1.2 session: a renegotiation
                socket.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                afterRenegotiation = in.readLine();
            } catch (IOException e) {
                afterRenegotiation = null;
            }
            // CVE-2011-1473: the server must not redo handshakes on the client's say-so.
            assertThat(afterRenegotiation).isNull();
        }
    }

    @Test
    void discardsCommandsPipelinedAfterStarttls() {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
            assertThat(c.reply()).startsWith("220");
            // Only the TLS handshake may follow; the injected MAIL must not be answered in clear.
        }
    }

    @Test
    void smugglingAttemptsNeverSplitOneSubmissionIntoTwoMessages() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            c.send("Subject: one\r\n\r\n" + marker + "\n.\nMAIL FROM:<smuggled@evil.test>\nRCPT TO:<bob@example.org>\n"
                    + "DATA\n" + marker + "-smuggled\r\n.\r\n");
            String reply = c.reply();
            // Bare LF is refused after the real end of data; nothing else is answered.
            assertThat(reply).startsWith("550 5.5.2");
            assertThat(c.command("NOOP")).startsWith("250");
        }
        assertThat(InboundTopic.find(tern.kafka().bootstrapServers(),
                m -> new String(m.body(), StandardCharsets.UTF_8).contains(marker), 1, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void answersProtocolErrorsWithTheRightCodes() {
        try (var c = connect(Listener.SMTP)) {
            assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("503 5.5.1");
            assertThat(c.command("FOO")).startsWith("500 5.5.2");
            assertThat(c.command("EHLO")).startsWith("501");
            c.command("EHLO client.test");
            assertThat(c.command("RCPT TO:<bob@example.org>")).startsWith("503 5.5.1");
            assertThat(c.command("MAIL FROM:<" + "x".repeat(600) + "@b.test>")).startsWith("500 5.5.2");
            assertThat(c.command("NOOP\0")).startsWith("501");
            assertThat(c.command("MAIL FROM:<a@b.test> SIZE=999999999")).startsWith("552 5.3.4");
            assertThat(c.command("MAIL FROM:<a@b.test> SIZE=abc")).startsWith("501 5.5.4");
            assertThat(c.command("MAIL FROM:<a@b.test> XFOO=1")).startsWith("555 5.5.4");
            assertThat(c.command("MAIL FROM:<ü@b.test>")).startsWith("553 5.6.7");
            assertThat(c.command("MAIL FROM:<a@b.test>")).startsWith("250");
            for (int i = 0; i < 5; i++) {
                assertThat(c.command("RCPT TO:<r" + i + "@example.org>")).startsWith("250");
            }
            assertThat(c.command("RCPT TO:<r6@example.org>")).startsWith("452 4.5.3");
            assertThat(c.command("VRFY bob")).startsWith("252");
        }
    }

    @Test
    void refusesAMessageLargerThanTheLimitAfterItsEndWithoutBufferingIt() {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            String line = "y".repeat(998) + "\r\n";
            var big = new StringBuilder("Subject: big\r\n\r\n");
            while (big.length() < 400_000) {
                big.append(line);
            }
            c.send(big + ".\r\n");
            assertThat(c.reply()).startsWith("552 5.3.4");
            assertThat(c.command("RSET")).startsWith("250");
        }
    }

    @Test
    void refusesMailLoopsByReceivedHeaderCount() {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            c.send("Received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\n".repeat(60) + "Subject: loop\r\n\r\nhi\r\n.\r\n");
            assertThat(c.reply()).startsWith("554 5.4.6");
        }
    }

    @Test
    void pipelinedTransactionGetsRepliesInOrder() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<bob@example.org>\r\nRCPT TO:<nope@elsewhere.test>\r\nDATA\r\n");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("554 5.7.1");
            assertThat(c.reply()).startsWith("354");
            c.send("Subject: p\r\n\r\n" + marker + "\r\n.\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
            assertThat(c.reply()).startsWith("221");
        }
        assertThat(published(marker, 1)).hasSize(1);
    }

    @Test
    void bdatChunksMakeOneMessage() {
        String marker = UUID.randomUUID().toString();
        try (var c = connect(Listener.SMTP)) {
            assertThat(c.command("EHLO client.test")).contains("CHUNKING");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            String part1 = "Subject: b\r\n\r\n";
            String part2 = marker + "\r\n.\r\n";
            assertThat(c.command("BDAT " + part1.length() + "\r\n" + part1.substring(0, part1.length() - 2)))
                    .startsWith("250");
            c.send("BDAT " + part2.getBytes(StandardCharsets.UTF_8).length + " LAST\r\n" + part2);
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        String body = new String(published(marker, 1).get(0).body(), StandardCharsets.UTF_8);
        assertThat(body).endsWith(marker + "\r\n.\r\n");
    }

    @Test
    void hangsUpOnABdatWhoseChunkSizeCannotBeRead() {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO client.test");
            c.command("MAIL FROM:<a@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.send("BDAT 12x\r\nRCPT TO:<x@elsewhere.test>\r\n");
            assertThat(c.repliesUntilClose()).containsExactly("521 5.5.4 Syntax: BDAT chunk-size [LAST]\r\n");
        }
    }

    @Test
    void exportsTheMetricsTheDashboardsUseAndIsReady() throws Exception {
        try (var c = connect(Listener.SMTP)) {
            c.command("EHLO metrics.test");
            c.command("BOGUS");
            c.command("MAIL FROM:<alice@sender.test>");
            c.command("RCPT TO:<bob@example.org>");
            c.command("DATA");
            assertThat(c.command("Subject: metrics\r\n\r\nbody\r\n.")).startsWith("250 2.0.0");
            c.command("QUIT");
        }
        var http = HttpClient.newHttpClient();
        String text = http.send(HttpRequest.newBuilder(metrics.toURI()).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("tern_ingress_sessions_total", "tern_ingress_sessions_active",
                "tern_ingress_commands_total{command=\"EHLO\"}", "tern_ingress_commands_total{command=\"other\"}",
                "tern_ingress_replies_total{code_class=\"5xx\"}", "tern_ingress_kafka_publish_seconds_bucket",
                // The end-of-data-to-reply histogram, with buckets fine enough for a p99 of a few ms.
                "tern_ingress_data_reply_seconds_bucket{code_class=\"2xx\",le=\"0.001\"}",
                "tern_ingress_data_reply_seconds_bucket{code_class=\"2xx\",le=\"0.002\"}",
                "tern_ingress_data_reply_seconds_count{code_class=\"2xx\"}", "tern_ingress_accepted_events_lost_total");
        var health = http.send(HttpRequest.newBuilder(ready.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("kafka-brokers").containsPattern("\"infinispan\": *\"not used\"");
    }
}
