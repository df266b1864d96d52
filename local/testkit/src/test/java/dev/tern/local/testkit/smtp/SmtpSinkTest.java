package dev.tern.local.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tern.local.testkit.smtp.SinkRequest.Stage;

class SmtpSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SmtpSink sink;

    @AfterEach
    void stopSink() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void advertisesTheEsmtpExtensionsDeliveryRelyOn() throws Exception {
        sink = SmtpSink.builder().maxMessageSize(1000).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            assertThat(client.line()).startsWith("220 sink.test ESMTP");
            client.write("EHLO client.test\r\n");
            assertThat(client.reply()).containsExactly("250-sink.test greets client.test", "250-PIPELINING",
                    "250-8BITMIME", "250-SIZE 1000", "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8");
        }
    }

    @Test
    void recordsEnvelopeAndDotUnstuffedBodyOfAnAcceptedMessage() throws Exception {
        sink = SmtpSink.start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<a@example.org> BODY=8BITMIME")).isEqualTo("250 2.1.0 Ok");
            assertThat(client.command("RCPT TO:<b@example.net>")).isEqualTo("250 2.1.5 Ok");
            assertThat(client.command("DATA")).startsWith("354");
            client.write("Subject: dots\r\n\r\n..leading dot\r\nbare\n.\nstill body\r\n.\r\n");
            assertThat(client.line()).startsWith("250 2.0.0 Ok");
            assertThat(client.command("QUIT")).startsWith("221");
        }

        ReceivedMessage message = sink.awaitMessages(1, WAIT).get(0);
        assertThat(message.sender()).isEqualTo("a@example.org");
        assertThat(message.recipients()).containsExactly("b@example.net");
        assertThat(message.helo()).isEqualTo("client.test");
        assertThat(message.connectionId()).isEqualTo(1);
        assertThat(message.tls()).isFalse();
        assertThat(message.bodyText()).isEqualTo("Subject: dots\r\n\r\n.leading dot\r\nbare\n.\nstill body\r\n");
    }

    @Test
    void answersPipelinedCommandsInOrder() throws Exception {
        sink = SmtpSink.builder()
                .behaviour(SinkBehaviour.rejectRecipients(r -> r.startsWith("nobody@"), SinkReply.of(550, "5.1.1 no such user")))
                .start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.command("EHLO client.test");
            client.write("MAIL FROM:<>\r\nRCPT TO:<x@example.net>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\n");
            assertThat(client.line()).isEqualTo("250 2.1.0 Ok");
            assertThat(client.line()).isEqualTo("250 2.1.5 Ok");
            assertThat(client.line()).isEqualTo("550 5.1.1 no such user");
            assertThat(client.line()).startsWith("354");
            client.write("hi\r\n.\r\nQUIT\r\n");
            assertThat(client.line()).startsWith("250");
            assertThat(client.line()).startsWith("221");
        }
        ReceivedMessage message = sink.awaitMessages(1, WAIT).get(0);
        assertThat(message.sender()).isEmpty();
        assertThat(message.recipients()).containsExactly("x@example.net");
    }

    @Test
    void scriptedBehaviourDefersFirstAttemptAndAcceptsTheRetry() throws Exception {
        sink = SmtpSink.builder()
                .behaviour(SinkBehaviour.failRecipientFirst(1, SinkReply.of(451, "4.3.0 try again later")))
                .start();
        for (String expected : List.of("451 4.3.0 try again later", "250 2.1.5 Ok")) {
            try (SmtpTestClient client = new SmtpTestClient(sink)) {
                client.line();
                client.command("EHLO client.test");
                client.command("MAIL FROM:<a@example.org>");
                assertThat(client.command("RCPT TO:<b@example.net>")).isEqualTo(expected);
                client.command("QUIT");
            }
        }
        assertThat(sink.connectionCount()).isEqualTo(2);
    }

    @Test
    void refusesDataWhenNoRecipientWasAccepted() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == Stage.RCPT ? SinkReply.of(550, "5.7.1 relaying denied") : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            assertThat(client.command("MAIL FROM:<a@example.org>")).startsWith("503 5.5.1");
            client.command("EHLO client.test");
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@example.net>")).isEqualTo("550 5.7.1 relaying denied");
            assertThat(client.command("DATA")).startsWith("554 5.5.1");
            assertThat(client.command("RSET")).isEqualTo("250 2.0.0 Ok");
            assertThat(client.command("RCPT TO:<b@example.net>")).startsWith("503 5.5.1");
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void closesTheConnectionAfterA421() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == Stage.MAIL ? SinkReply.of(421, "4.7.0 too many messages, slow down") : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<a@example.org>")).isEqualTo("421 4.7.0 too many messages, slow down");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void resetsTheConnectionAfterTheDotWithoutAnsweringOrRecording() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == Stage.DATA ? SinkReply.resetConnection() : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            openTransaction(client);
            assertThat(client.command("DATA")).startsWith("354");
            client.write("Subject: reset\r\n\r\nbody\r\n.\r\n");
            assertThatThrownBy(client::line).isInstanceOf(java.io.IOException.class);
        }
        sink.awaitOpenConnections(0, WAIT);
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void hangsMidDataUntilTheClientGivesUp() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == Stage.DATA_START ? SinkReply.hang() : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            openTransaction(client);
            assertThat(client.command("DATA")).startsWith("354");
            client.write("Subject: hang\r\n\r\nbody\r\n.\r\n");
            client.timeout(Duration.ofMillis(500));
            assertThatThrownBy(client::line).isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(sink.openConnections()).isEqualTo(1);
        }
        sink.awaitOpenConnections(0, WAIT);
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void aHangIsBoundedByTheIdleTimeout() throws Exception {
        sink = SmtpSink.builder().idleTimeout(Duration.ofMillis(300))
                .behaviour(r -> r.stage() == Stage.DATA_START ? SinkReply.hang() : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            openTransaction(client);
            assertThat(client.command("DATA")).startsWith("354");
            sink.awaitOpenConnections(0, WAIT);
            assertThatThrownBy(client::line).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aRefusalAtDataStartIsSentInsteadOf354() throws Exception {
        sink = SmtpSink.builder().behaviour(r -> r.stage() == Stage.DATA_START ? SinkReply.of(554, "5.3.0 no") : null).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            openTransaction(client);
            assertThat(client.command("DATA")).isEqualTo("554 5.3.0 no");
            assertThat(client.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void countsTransactionsFromMailUntilTheFinalReply() throws Exception {
        sink = SmtpSink.start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.command("EHLO client.test");
            assertThat(sink.transactionsInFlight()).isZero();
            client.command("MAIL FROM:<a@example.org>");
            assertThat(sink.transactionsInFlight()).isEqualTo(1);
            client.command("RCPT TO:<b@example.net>");
            client.command("DATA");
            client.write("Subject: count\r\n\r\nbody\r\n.\r\n");
            assertThat(client.line()).startsWith("250");
            // The sink ends the transaction after sending the 250; the NOOP's answer comes after that.
            client.command("NOOP");
            assertThat(sink.transactionsInFlight()).isZero();
            client.command("MAIL FROM:<a@example.org>");
            assertThat(sink.transactionsInFlight()).isEqualTo(1);
        }
        sink.awaitOpenConnections(0, WAIT);
        assertThat(sink.transactionsInFlight()).as("a connection that went away ends its transaction").isZero();
    }

    @Test
    void rejectsAMessageLargerThanTheAdvertisedSize() throws Exception {
        sink = SmtpSink.builder().maxMessageSize(10).start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.command("EHLO client.test");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=11")).startsWith("552 5.3.4");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.net>");
            client.command("DATA");
            client.write("0123456789abcdef\r\n.\r\n");
            assertThat(client.line()).startsWith("552 5.3.4");
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void lmtpAnswersDataOncePerRecipient() throws Exception {
        sink = SmtpSink.builder().lmtp()
                .behaviour(r -> r.stage() == Stage.DATA && r.recipient().equals("full@example.org")
                        ? SinkReply.of(452, "4.2.2 mailbox full") : null)
                .start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            assertThat(client.line()).contains("LMTP");
            assertThat(client.command("EHLO client.test")).startsWith("500");
            assertThat(client.command("LHLO client.test")).isEqualTo("250 SMTPUTF8");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<ok@example.org>");
            client.command("RCPT TO:<full@example.org>");
            client.command("DATA");
            client.write("hello\r\n.\r\n");
            assertThat(client.line()).isEqualTo("250 2.0.0 Ok ok@example.org");
            assertThat(client.line()).isEqualTo("452 4.2.2 mailbox full");
        }
        assertThat(sink.awaitMessages(1, WAIT).get(0).recipients()).containsExactly("ok@example.org");
    }

    @Test
    void tracksTheHighestNumberOfConcurrentConnections() throws Exception {
        sink = SmtpSink.start();
        List<SmtpTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SmtpTestClient client = new SmtpTestClient(sink);
                client.line();
                clients.add(client);
            }
            assertThat(sink.openConnections()).isEqualTo(3);
        } finally {
            for (SmtpTestClient client : clients) {
                client.close();
            }
        }
        // The closes reach the sink's session threads later; a fourth connection opened before they
        // do is (rightly) counted as concurrent with the three.
        sink.awaitOpenConnections(0, Duration.ofSeconds(10));
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
        }
        assertThat(sink.maxConcurrentConnections()).isEqualTo(3);
        assertThat(sink.connectionCount()).isEqualTo(4);
    }

    @Test
    void upgradesToTlsAndForgetsTheEarlierEhlo() throws Exception {
        sink = SmtpSink.builder().starttls().start();
        try (SmtpTestClient client = new SmtpTestClient(sink)) {
            client.line();
            client.write("EHLO client.test\r\n");
            assertThat(client.reply()).extracting(l -> l.substring(4)).contains("STARTTLS");
            assertThat(client.command("STARTTLS")).startsWith("220");
            client.startTls();
            assertThat(client.command("MAIL FROM:<a@example.org>")).startsWith("503");
            client.write("EHLO client.test\r\n");
            assertThat(client.reply()).extracting(l -> l.substring(4)).doesNotContain("STARTTLS").contains("PIPELINING");
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.net>");
            client.command("DATA");
            client.write("secret\r\n.\r\n");
            assertThat(client.line()).startsWith("250");
        }
        assertThat(sink.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    /** Greeting, EHLO, MAIL and RCPT of a plain transaction, up to where DATA is sent. */
    private static void openTransaction(SmtpTestClient client) throws java.io.IOException {
        client.line();
        client.command("EHLO client.test");
        client.command("MAIL FROM:<a@example.org>");
        client.command("RCPT TO:<b@example.net>");
    }
}
