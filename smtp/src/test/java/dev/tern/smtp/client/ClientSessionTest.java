package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Session behaviour that golden dialogues (one read per line) cannot show: several replies per read. */
class ClientSessionTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ClientSession readySession(String ehlo) {
        var session = new ClientSession(HandshakeConfig.smtp("out.example.org", TlsPolicy.NONE));
        session.start();
        assertThat(session.receive(b("220 mx ESMTP\r\n"))).isInstanceOf(ClientAction.Write.class);
        assertThat(session.receive(b(ehlo))).isInstanceOf(ClientAction.Ready.class);
        return session;
    }

    @Test
    void processesAllPipelinedRepliesArrivingInOneRead() {
        ClientSession session = readySession("250-mx\r\n250 PIPELINING\r\n");
        session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net", "b@example.net"), 10));
        ClientAction action = session.receive(b("250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n"));
        assertThat(action).isSameAs(ClientAction.WRITE_BODY);
        ClientAction done = session.receive(b("250 queued\r\n"));
        TransactionOutcome outcome = ((ClientAction.TransactionDone) done).outcome();
        assertThat(outcome.recipients()).extracting(r -> r.reply().code()).containsExactly(250, 550);
        assertThat(outcome.recipients().get(0).delivered()).isTrue();
        assertThat(outcome.recipients().get(1).permanentFailure()).isTrue();
        assertThat(session.ready()).isTrue();
    }

    @Test
    void treatsReplyBeforeItsCommandAsProtocolError() {
        ClientSession session = readySession("250 mx\r\n");
        session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net"), 10));
        ClientAction action = session.receive(b("250 ok\r\n250 ok\r\n"));
        TransactionOutcome outcome = ((ClientAction.TransactionDone) action).outcome();
        assertThat(outcome.recipients().get(0).reply().text()).startsWith("4.5.0 Protocol error");
        assertThat(outcome.connectionReusable()).isFalse();
    }

    @Test
    void keepsFinalOutcomeButRefusesReuseWhenExtraReplyFollowsIt() {
        ClientSession session = readySession("250-mx\r\n250 PIPELINING\r\n");
        session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net"), 10));
        session.receive(b("250 ok\r\n250 ok\r\n354 go\r\n"));
        ClientAction action = session.receive(b("250 queued\r\n250 surprise\r\n"));
        TransactionOutcome outcome = ((ClientAction.TransactionDone) action).outcome();
        assertThat(outcome.allDelivered()).isTrue();
        assertThat(outcome.connectionReusable()).isFalse();
        assertThat(session.ready()).isFalse();
    }

    @Test
    void refusesTransactionBeforeHandshakeCompletes() {
        var session = new ClientSession(HandshakeConfig.smtp("out.example.org", TlsPolicy.NONE));
        session.start();
        assertThatThrownBy(() -> session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net"), 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void switchesParserToEnhancedStatusModeWhenAdvertised() {
        ClientSession session = readySession("250-mx\r\n250 ENHANCEDSTATUSCODES\r\n");
        session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net"), 10));
        session.receive(b("250 2.1.0 ok\r\n"));
        session.receive(b("550 2.1.1 mismatched class\r\n"));
        ClientAction action = session.receive(b("250 2.0.0 reset\r\n"));
        // Advertised: the status is trusted, but its class follows the reply code (RFC 3463 §3.1).
        RecipientOutcome outcome = ((ClientAction.TransactionDone) action).outcome().recipients().get(0);
        assertThat(outcome.reply().status()).hasToString("5.1.1");
        assertThat(outcome.reply().lines()).containsExactly("mismatched class");
    }

    @Test
    void reportsTruncatedReplyOnConnectionLoss() {
        ClientSession session = readySession("250 mx\r\n");
        session.send(OutboundEnvelope.of("s@example.org", List.of("a@example.net"), 10));
        session.receive(b("250-partial"));
        ClientAction action = session.connectionLost();
        TransactionOutcome outcome = ((ClientAction.TransactionDone) action).outcome();
        assertThat(outcome.recipients().get(0).transientFailure()).isTrue();
        assertThat(outcome.messageReply().text()).isEqualTo("4.4.2 Lost connection with the remote server");
    }
}
