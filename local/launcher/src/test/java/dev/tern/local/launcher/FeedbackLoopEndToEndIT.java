package dev.tern.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.feedback.VerpAddress;
import dev.tern.local.testkit.smtp.ReceivedMessage;
import dev.tern.local.testkit.tools.DebianTools;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Feedback loops end to end (docs/ARCHITECTURE.md, "Feedback loops and VERP"), all real: mail
 * submitted to ingress leaves delivery with VERP senders at a real SMTP server; then, as a remote
 * MTA and a mailbox provider would, swaks sends an RFC 3464 DSN and an RFC 5965 complaint to those
 * bounce addresses on port 25, unauthenticated and untrusted; ingress hands them to
 * {@code tern.feedback}, the bounce service reads them and both recipients end up on the
 * suppression list, as bounce's admin API shows.
 */
class FeedbackLoopEndToEndIT {

    private static final String BOUNCE_DOMAIN = "bounce.example.org";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ClusterFixture fixture;

    @BeforeAll
    static void start() {
        // No trusted networks: the reports come from an ordinary Internet client.
        fixture = ClusterFixture.startWithPolicy(sinkPort -> """
                relay:
                  local-domains: [example.org]
                  users-file: users.htpasswd
                routes:
                  - match: "*.test"
                    via: smtp://127.0.0.1:%d
                retry: [2s, 4s]
                max-queue-lifetime: 1h
                feedback:
                  enabled: true
                  bounce-domain: %s
                """.formatted(sinkPort, BOUNCE_DOMAIN), Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String swaks(String... args) throws Exception {
        var command = new ArrayList<>(List.of(DebianTools.swaks().toString(), "--server", "127.0.0.1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("swaks transcript").contains("250 2.0.0 Ok: queued as");
        return out;
    }

    /** swaks over port 25 without AUTH, the message read from a file as it is. */
    private static void report(String from, String to, String message) throws Exception {
        Path file = Files.writeString(fixture.dir.resolve("report-" + UUID.randomUUID() + ".eml"), message);
        swaks("--port", Integer.toString(fixture.smtpPort()), "--from", from, "--to", to, "--data", "@" + file);
    }

    private static List<ReceivedMessage> awaitAtSink(String marker, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var got = fixture.sink.messages().stream().filter(m -> m.bodyText().contains(marker)).toList();
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(count + " message(s) with " + marker + " did not reach the sink");
    }

    /** The bounce service's admin answer for {@code address} once it is suppressed. */
    private static String awaitSuppressed(String address) throws Exception {
        String token = fixture.cluster.adminToken().token().orElseThrow();
        URI uri = URI.create("http://127.0.0.1:" + fixture.cluster.options().httpPort(Service.BOUNCE)
                + "/admin/suppression/" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                return last.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(address + " was not suppressed: " + (last == null ? "no answer" : last.body()));
    }

    private static String senderFor(List<ReceivedMessage> got, String recipient) {
        return got.stream().filter(m -> m.recipients().equals(List.of(recipient))).findFirst()
                .orElseThrow(() -> new AssertionError("no transaction for " + recipient + " in " + got)).sender();
    }

    @Test
    void aComplaintAndAnAsynchronousBounceAtTheBounceAddressSuppressTheirRecipients() throws Exception {
        String marker = UUID.randomUUID().toString();
        String fan = "fan-" + marker.substring(0, 8) + "@remote.test";
        String gone = "gone-" + marker.substring(0, 8) + "@remote.test";
        swaks("--port", Integer.toString(fixture.submissionPort()), "--tls", "--auth", "PLAIN",
                "--auth-user", ClusterFixture.USER, "--auth-password", ClusterFixture.PASSWORD,
                "--from", "alice@example.org", "--to", fan + "," + gone, "--h-Subject", "news", "--body", marker);

        List<ReceivedMessage> got = awaitAtSink(marker, 2);
        String fanBounce = senderFor(got, fan);
        String goneBounce = senderFor(got, gone);
        VerpAddress fanVerp = VerpAddress.decode("bounce", BOUNCE_DOMAIN, fanBounce).orElseThrow();
        assertThat(fanVerp.recipient()).contains(fan);
        assertThat(VerpAddress.decode("bounce", BOUNCE_DOMAIN, goneBounce).orElseThrow())
                .isEqualTo(new VerpAddress(fanVerp.queueId(), java.util.Optional.of(gone)));

        // The provider redacts the recipient: only the VERP address says who complained.
        report("fbl@isp.test", fanBounce, """
                From: <fbl@isp.test>
                To: <%1$s>
                Subject: FW: news
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report;
                     boundary="part1_13d.2e68ed54_boundary"

                --part1_13d.2e68ed54_boundary
                Content-Type: text/plain; charset="US-ASCII"

                This is an email abuse report for an email message received from IP 127.0.0.1.

                --part1_13d.2e68ed54_boundary
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: IspFbl/1.0
                Version: 1
                Original-Mail-From: <%1$s>
                Original-Rcpt-To: <redacted@isp.test>
                Source-IP: 127.0.0.1

                --part1_13d.2e68ed54_boundary
                Content-Type: text/rfc822-headers

                Return-Path: <%1$s>
                From: alice@example.org
                To: redacted@isp.test
                Subject: news

                --part1_13d.2e68ed54_boundary--
                """.formatted(fanBounce));
        // A remote MTA accepted the mail, then found the mailbox gone (an alias to another host).
        report("<>", goneBounce, """
                From: MAILER-DAEMON@mx.remote.test (Mail Delivery System)
                To: %1$s
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                	boundary="4B7C61A2E5.1764584102/mx.remote.test"

                --4B7C61A2E5.1764584102/mx.remote.test
                Content-Type: text/plain; charset=us-ascii

                <%2$s>: user unknown

                --4B7C61A2E5.1764584102/mx.remote.test
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.remote.test

                Final-Recipient: rfc822; mailbox-77@store.remote.test
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown

                --4B7C61A2E5.1764584102/mx.remote.test--
                """.formatted(goneBounce, gone));

        assertThat(awaitSuppressed(fan)).contains("complaint").contains("abuse");
        assertThat(awaitSuppressed(gone)).contains("5.1.1");
        assertThat(ClusterFixture.metric(fixture.cluster.options().httpPort(Service.BOUNCE),
                "tern_bounce_feedback_total")).isGreaterThanOrEqualTo(2);
        // Nothing addressed to the bounce domain was delivered anywhere.
        assertThat(fixture.sink.messages()).noneMatch(m -> m.recipients().stream().anyMatch(r -> r.endsWith(BOUNCE_DOMAIN)));
    }
}
