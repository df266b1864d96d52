package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.io.DataSummary;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Session behaviour that golden dialogues cannot show: timing, asynchrony, connection events. */
class ServerSessionTest {

    private final Transcript transcript = new Transcript();

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String output() {
        return transcript.bytes.toString(StandardCharsets.UTF_8);
    }

    private ServerSession session(SessionPolicy policy) {
        var session = new ServerSession(SessionConfig.builder("mx.test").build(), policy, transcript);
        session.start();
        return session;
    }

    @Test
    void discardsCommandsPipelinedAfterStarttls() {
        var policy = new FakePolicy();
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nSTARTTLS\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@mx.test>\r\nDA"));
        assertThat(output()).endsWith("220 2.0.0 Ready to start TLS\r\n[START_TLS]\r\n");
        assertThat(session.discardedAfterStartTls()).isEqualTo(43);
        session.receive(ascii("TA\r\n"));
        session.tlsStarted(Transcript.TLS);
        session.receive(ascii("MAIL FROM:<a@b.test>\r\n"));
        assertThat(output()).endsWith("[START_TLS]\r\n503 5.5.1 Error: send HELO/EHLO first\r\n");
        assertThat(session.discardedAfterStartTls()).isEqualTo(47);
        assertThat(session.view().tls()).contains(Transcript.TLS);
    }

    @Test
    void queuesPipelinedCommandsUntilAnAsyncRecipientCheckCompletes() {
        var pending = new CompletableFuture<Reply>();
        var policy = new FakePolicy() {
            @Override
            public CompletionStage<Reply> checkRecipient(ForwardPath r, RcptParameters p, SessionView s) {
                return r.toString().contains("slow") ? pending : super.checkRecipient(r, p, s);
            }
        };
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<slow@mx.test>\r\nRCPT TO:<fast@mx.test>\r\nNOOP\r\n"));
        assertThat(session.isAwaiting()).isTrue();
        assertThat(output()).endsWith("250 2.1.0 Ok\r\n[PAUSE_INPUT]\r\n");
        session.receive(ascii("QUIT\r\n"));
        assertThat(output()).endsWith("[PAUSE_INPUT]\r\n");

        pending.complete(Reply.of(250, "2.1.5", "slow Ok"));

        assertThat(output()).endsWith("[PAUSE_INPUT]\r\n[RESUME_INPUT]\r\n250 2.1.5 slow Ok\r\n250 2.1.5 Ok\r\n"
                + "250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n[CLOSE]\r\n");
        assertThat(session.isAwaiting()).isFalse();
    }

    @Test
    void repliesToEndOfDataOnlyWhenTheSinkHasQueuedTheMessage() {
        var queueAck = new CompletableFuture<Reply>();
        var policy = new FakePolicy() {
            @Override
            public MessageSink open(Envelope envelope) {
                return new MessageSink() {
                    @Override
                    public void write(byte[] chunk) {
                    }

                    @Override
                    public CompletionStage<Reply> complete(DataSummary summary) {
                        return queueAck;
                    }

                    @Override
                    public void abort() {
                        aborted++;
                    }
                };
            }
        };
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n"));
        assertThat(output()).endsWith("354 End data with <CR><LF>.<CR><LF>\r\n[PAUSE_INPUT]\r\n");
        queueAck.complete(Reply.of(250, "2.0.0", "Ok: queued as K1"));
        assertThat(output()).endsWith("250 2.0.0 Ok: queued as K1\r\n221 2.0.0 Bye\r\n[CLOSE]\r\n");
        assertThat(policy.aborted).isZero();
    }

    @Test
    void answers451WhenTheQueueWriteFails() {
        var policy = new FakePolicy() {
            @Override
            public MessageSink open(Envelope envelope) {
                MessageSink inner = super.open(envelope);
                return new MessageSink() {
                    @Override
                    public void write(byte[] chunk) {
                        inner.write(chunk);
                    }

                    @Override
                    public CompletionStage<Reply> complete(DataSummary summary) {
                        return CompletableFuture.failedFuture(new IllegalStateException("kafka down"));
                    }

                    @Override
                    public void abort() {
                        inner.abort();
                    }
                };
            }
        };
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\nDATA\r\nhi\r\n.\r\nNOOP\r\n"));
        assertThat(output()).endsWith("354 End data with <CR><LF>.<CR><LF>\r\n451 4.3.0 Error: queue file write error\r\n"
                + "250 2.0.0 Ok\r\n");
    }

    @Test
    void answers451WhenThePolicyThrows() {
        var policy = new FakePolicy() {
            @Override
            public CompletionStage<Reply> checkRecipient(ForwardPath r, RcptParameters p, SessionView s) {
                throw new IllegalStateException("infinispan unreachable");
            }
        };
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\n"));
        assertThat(output()).endsWith("250 2.1.0 Ok\r\n451 4.3.0 Error: queue file write error\r\n");
    }

    @Test
    void abortsTheMessageWhenTheClientDisconnectsMidData() {
        var policy = new FakePolicy();
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\nDATA\r\nhalf a mess"));
        session.disconnected();
        assertThat(policy.aborted).isEqualTo(1);
        assertThat(policy.queued).isEmpty();
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void timeoutSends421AndCloses() {
        var policy = new FakePolicy();
        ServerSession session = session(policy);
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\nDATA\r\npartial"));
        session.timeout();
        assertThat(output()).endsWith("421 4.4.2 mx.test Error: timeout exceeded\r\n[CLOSE]\r\n");
        assertThat(policy.aborted).isEqualTo(1);
        session.receive(ascii("QUIT\r\n"));
        assertThat(output()).endsWith("[CLOSE]\r\n");
    }

    @Test
    void junkCommandsPastTheLimitCountAsErrors() {
        var config = SessionConfig.builder("mx.test").junkCommandLimit(3).hardErrorLimit(2).build();
        var session = new ServerSession(config, new FakePolicy(), transcript);
        session.start();
        session.receive(ascii("EHLO a\r\nNOOP\r\nRSET\r\nVRFY x\r\n"));
        assertThat(output()).doesNotContain("421");
        session.receive(ascii("NOOP\r\n"));
        assertThat(output()).as("one error so far").doesNotContain("421");
        session.receive(ascii("NOOP\r\nNOOP\r\n"));
        assertThat(output()).endsWith("250 2.0.0 Ok\r\n421 4.7.0 mx.test Error: too many errors\r\n[CLOSE]\r\n");
    }

    @Test
    void rejectsEarlyTalkerWith554AndCloses() {
        var session = new ServerSession(SessionConfig.builder("mx.test").build(), new FakePolicy(), transcript);
        session.rejectEarlyTalker();
        assertThat(output()).isEqualTo("554 5.5.1 mx.test Error: SMTP protocol violation: talked before the greeting\r\n"
                + "[CLOSE]\r\n");
    }

    @Test
    void refusingGreetingServesOnlyQuit() {
        var session = new ServerSession(SessionConfig.builder("mx.test").build(), new FakePolicy(), transcript);
        session.startRejecting(Reply.of(554, "5.7.1", "Service unavailable; client blocked"));
        session.receive(ascii("EHLO a\r\nMAIL FROM:<a@b.test>\r\nQUIT\r\n"));
        assertThat(output()).isEqualTo("554 5.7.1 Service unavailable; client blocked\r\n"
                + "503 5.5.1 Error: no SMTP service\r\n503 5.5.1 Error: no SMTP service\r\n221 2.0.0 Bye\r\n[CLOSE]\r\n");
    }

    @Test
    void implicitTlsAdvertisesAuthButNotStarttls() {
        var config = SessionConfig.builder("mx.test").implicitTls(Transcript.TLS).build();
        var session = new ServerSession(config, new FakePolicy(), transcript);
        session.receive(ascii("EHLO a\r\n"));
        assertThat(output()).contains("250-AUTH PLAIN LOGIN\r\n").doesNotContain("STARTTLS");
    }

    @Test
    void keepsTheCallersBufferIndependentOfQueuedInput() {
        var pending = new CompletableFuture<Reply>();
        var policy = new FakePolicy() {
            @Override
            public CompletionStage<Reply> checkHelo(String name, boolean esmtp, SessionView s) {
                return pending;
            }
        };
        ServerSession session = session(policy);
        byte[] reused = ascii("EHLO a\r\nNOOP\r\n");
        session.receive(ByteBuffer.wrap(reused));
        java.util.Arrays.fill(reused, (byte) 'X');
        pending.complete(Replies.OK);
        assertThat(output()).endsWith("250 2.0.0 Ok\r\n");
    }

    @Test
    void saslResponsesMayBeLongerThan512Octets() {
        var config = SessionConfig.builder("mx.test").plaintextAuth(true).build();
        var session = new ServerSession(config, new FakePolicy(), transcript);
        String longPassword = java.util.Base64.getEncoder().encodeToString(ascii("\0alice\0" + "p".repeat(1500)));
        session.receive(ascii("EHLO a\r\nAUTH PLAIN\r\n" + longPassword + "\r\nNOOP " + "x".repeat(600) + "\r\n"));
        assertThat(output()).endsWith("334 \r\n535 5.7.8 Error: authentication failed\r\n500 5.5.2 Error: line too long\r\n");
    }

    @Test
    void refusesASaslResponseOver12288OctetsWithTheAuthCode() {
        var config = SessionConfig.builder("mx.test").plaintextAuth(true).build();
        var session = new ServerSession(config, new FakePolicy(), transcript);
        session.receive(ascii("EHLO a\r\nAUTH PLAIN\r\n" + "A".repeat(12300) + "\r\nNOOP\r\n"));
        // RFC 4954 §4: 5.5.6 is the SASL line code; command lines get 5.5.2 (RFC 3463).
        assertThat(output()).endsWith("334 \r\n500 5.5.6 Authentication Exchange line is too long\r\n250 2.0.0 Ok\r\n");
    }
}
