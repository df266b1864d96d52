package dev.tern.ingress.trust.recipients;

import static dev.tern.ingress.trust.recipients.CalloutCacheContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.policy.Transport;
import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.smtp.PostfixSmtpSink;
import dev.tern.local.testkit.smtp.SinkBehaviour;
import dev.tern.local.testkit.smtp.SinkReply;
import dev.tern.local.testkit.smtp.SmtpSink;
import dev.tern.smtp.address.Mailbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RecipientCallout} against real servers: the testkit sink (SMTP and LMTP, scripted to
 * refuse chosen recipients), Postfix's smtp-sink as an independent implementation, a socket that
 * never answers and a port nobody listens on.
 */
class RecipientCalloutIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Refuses nobody* for good and busy* for now, accepts everyone else. */
    static final SinkBehaviour MAILBOXES = SinkBehaviour
            .rejectRecipients(r -> r.startsWith("nobody"), SinkReply.of(550, "5.1.1 User unknown in virtual mailbox table"))
            .orElse(SinkBehaviour.rejectRecipients(r -> r.startsWith("busy"), SinkReply.of(451, "4.3.0 Mailbox locked, try later")));

    private static ExecutorService executor;
    private static RecipientCallout callout;
    private SmtpSink sink;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recipient-callout-test");
            t.setDaemon(true);
            return t;
        });
        callout = new RecipientCallout(executor, "ingress.test");
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @AfterEach
    void closeSink() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void smtpServerAcceptingTheRecipientMakesItValidAndTheSessionEndsCleanly() throws Exception {
        sink = SmtpSink.builder().behaviour(MAILBOXES).start();
        CalloutResult result = ask("alice@example.com", "smtp://" + sink.address());
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CalloutVerdict.VALID);
        assertThat(sink.connectionCount()).isEqualTo(1);
        assertThat(sink.messages()).as("a callout never sends a message").isEmpty();
        // RSET and QUIT follow the verdict; the sink closes the session when QUIT arrives.
        sink.awaitOpenConnections(0, Duration.ofSeconds(30));
    }

    @Test
    void permanentRefusalAtRcptMakesTheRecipientUnknown() throws Exception {
        sink = SmtpSink.builder().behaviour(MAILBOXES).start();
        CalloutResult result = ask("nobody@example.com", "smtp://" + sink.address());
        assertThat(result.verdict()).isEqualTo(CalloutVerdict.UNKNOWN);
        assertThat(result.detail()).contains("550").contains("User unknown");
    }

    @Test
    void temporaryRefusalAtRcptIsDeferred() throws Exception {
        sink = SmtpSink.builder().behaviour(MAILBOXES).start();
        CalloutResult result = ask("busy@example.com", "smtp://" + sink.address());
        assertThat(result.verdict()).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(result.detail()).contains("451");
    }

    @Test
    void refusedNullSenderIsDeferredNotUnknown() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == dev.tern.local.testkit.smtp.SinkRequest.Stage.MAIL
                ? SinkReply.of(553, "5.7.1 We do not accept the null sender") : null).start();
        CalloutResult result = ask("alice@example.com", "smtp://" + sink.address());
        assertThat(result.verdict()).isEqualTo(CalloutVerdict.DEFERRED);
        assertThat(result.detail()).contains("MAIL FROM:<>");
    }

    @Test
    void lmtpServerIsAskedWithLhlo() throws Exception {
        // The sink in LMTP mode answers EHLO with 500, so a verdict proves LHLO was used.
        sink = SmtpSink.builder().lmtp().behaviour(MAILBOXES).start();
        assertThat(ask("alice@example.com", "lmtp://" + sink.address()).verdict()).isEqualTo(CalloutVerdict.VALID);
        assertThat(ask("nobody@example.com", "lmtp://" + sink.address()).verdict()).isEqualTo(CalloutVerdict.UNKNOWN);
        assertThat(ask("busy@example.com", "lmtp://" + sink.address()).verdict()).isEqualTo(CalloutVerdict.DEFERRED);
    }

    @Test
    void utf8RecipientIsAskedWithSmtpUtf8() throws Exception {
        sink = SmtpSink.builder().behaviour(MAILBOXES).start();
        assertThat(ask("pelé@example.com", "smtp://" + sink.address()).verdict()).isEqualTo(CalloutVerdict.VALID);
    }

    @Test
    void mxRouteIsNotCalledOut() throws Exception {
        CalloutResult result = await(callout.verify(Mailbox.of("alice@example.com"), Transport.MX, TIMEOUT));
        assertThat(result.verdict()).isEqualTo(CalloutVerdict.NOT_CHECKED);
    }

    @Test
    void serverThatNeverAnswersTimesOutAsUnreachable() throws Exception {
        // Listening, so the kernel completes the TCP handshake, but nobody accepts or writes a greeting.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getByName(FreePorts.LOOPBACK))) {
            long start = System.nanoTime();
            CalloutResult result = await(callout.verify(Mailbox.of("alice@example.com"),
                    Transport.parse("smtp://127.0.0.1:" + silent.getLocalPort()), Duration.ofSeconds(1)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.verdict()).isEqualTo(CalloutVerdict.UNREACHABLE);
            assertThat(result.detail()).contains("did not answer in time");
            assertThat(took).as("the timeout was awaited, not skipped").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void portNobodyListensOnIsUnreachable() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName(FreePorts.LOOPBACK))) {
            port = closed.getLocalPort();
        }
        CalloutResult result = ask("alice@example.com", "smtp://127.0.0.1:" + port);
        assertThat(result.verdict()).isEqualTo(CalloutVerdict.UNREACHABLE);
    }

    @Test
    void postfixSmtpSinkAcceptingIsValid() throws Exception {
        try (var postfix = PostfixSmtpSink.builder().start()) {
            assertThat(ask("alice@example.com", "smtp://127.0.0.1:" + postfix.port()).verdict())
                    .isEqualTo(CalloutVerdict.VALID);
        }
    }

    @Test
    void postfixSmtpSinkHardRejectIsUnknownAndSoftRejectDeferred() throws Exception {
        try (var hard = PostfixSmtpSink.builder().hardRejectRecipients("550 5.1.1 Recipient address rejected: User unknown").start();
                var soft = PostfixSmtpSink.builder().softRejectRecipients("450 4.2.0 Greylisted, try later").start()) {
            CalloutResult unknown = ask("nobody@example.com", "smtp://127.0.0.1:" + hard.port());
            assertThat(unknown.verdict()).as(unknown.detail()).isEqualTo(CalloutVerdict.UNKNOWN);
            CalloutResult deferred = ask("alice@example.com", "smtp://127.0.0.1:" + soft.port());
            assertThat(deferred.verdict()).as(deferred.detail()).isEqualTo(CalloutVerdict.DEFERRED);
        }
    }

    @Test
    void postfixSmtpSinkInLmtpModeIsAskedWithLhlo() throws Exception {
        try (var lmtp = PostfixSmtpSink.builder().lmtp().start();
                var lmtpRejecting = PostfixSmtpSink.builder().lmtp().hardRejectRecipients("550 5.1.1 User unknown").start()) {
            assertThat(ask("alice@example.com", "lmtp://127.0.0.1:" + lmtp.port()).verdict())
                    .isEqualTo(CalloutVerdict.VALID);
            assertThat(ask("nobody@example.com", "lmtp://127.0.0.1:" + lmtpRejecting.port()).verdict())
                    .isEqualTo(CalloutVerdict.UNKNOWN);
        }
    }

    private static CalloutResult ask(String address, String server) throws Exception {
        return await(callout.verify(Mailbox.of(address), Transport.parse(server), TIMEOUT));
    }
}
