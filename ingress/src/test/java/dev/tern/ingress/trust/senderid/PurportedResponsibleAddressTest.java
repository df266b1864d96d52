package dev.tern.ingress.trust.senderid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The six steps of RFC 4407 §2. */
class PurportedResponsibleAddressTest {

    private static PurportedResponsibleAddress pra(String header) {
        return PurportedResponsibleAddress.of((header + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String address(String header) {
        PurportedResponsibleAddress p = pra(header);
        return p.mailbox() == null ? p.problem() : p.field() + " " + p.mailbox().address();
    }

    @Test
    void fromAloneIsThePra() {
        assertThat(address("From: Alice <alice@Example.org>\r\nTo: b@example.net\r\n"))
                .isEqualTo("from alice@example.org");
    }

    @Test
    void senderBeatsFrom() {
        assertThat(address("From: a@example.org, b@example.org\r\nSender: list@lists.example\r\n"))
                .isEqualTo("sender list@lists.example");
    }

    @Test
    void resentFieldsBeatSenderAndFrom() {
        assertThat(address("Resent-From: fwd@relay.example\r\nSender: s@example.org\r\nFrom: a@example.org\r\n"))
                .isEqualTo("resent-from fwd@relay.example");
        assertThat(address("Resent-Sender: rs@relay.example\r\nResent-From: fwd@relay.example\r\n"
                + "From: a@example.org\r\n")).isEqualTo("resent-sender rs@relay.example");
    }

    @Test
    void aResentSenderOfAnOlderHopLosesToTheNewerResentFrom() {
        assertThat(address("Resent-From: new@second.example\r\nReceived: from x by y\r\n"
                + "Resent-Sender: old@first.example\r\nFrom: a@example.org\r\n"))
                .isEqualTo("resent-from new@second.example");
        // Without a Received or Return-Path between them the two belong to one hop.
        assertThat(address("Resent-From: fwd@relay.example\r\nResent-Sender: rs@relay.example\r\n"))
                .isEqualTo("resent-sender rs@relay.example");
    }

    @Test
    void emptyFieldsAreSkipped() {
        assertThat(address("Resent-Sender: \r\nSender:\r\nFrom: a@example.org\r\n")).isEqualTo("from a@example.org");
    }

    @Test
    void illFormedMessagesHaveNoPra() {
        assertThat(address("Sender: a@example.org\r\nSender: b@example.org\r\nFrom: c@example.org\r\n"))
                .contains("2 Sender fields");
        assertThat(address("From: a@example.org\r\nFrom: b@example.org\r\n")).contains("2 From fields");
        assertThat(address("Subject: none\r\n")).contains("no Resent-Sender");
        assertThat(address("From: a@example.org, b@example.org\r\n")).contains("2 mailboxes");
        assertThat(address("Sender: nobody\r\nFrom: a@example.org\r\n")).contains("malformed sender");
    }
}
