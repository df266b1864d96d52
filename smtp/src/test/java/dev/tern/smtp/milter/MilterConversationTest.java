package dev.tern.smtp.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conversation's steps under each negotiated protocol, and each verdict. */
class MilterConversationTest {

    private static final byte[] MESSAGE = "Subject: hi\r\nTo: b@x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);

    private static MilterTransaction transaction() throws Exception {
        return new MilterTransaction("[192.0.2.1]", InetAddress.getByName("192.0.2.1"), 25, "helo.example",
                "<a@x>", List.of(), List.of("<b@x>", "<c@x>"), MESSAGE,
                Map.of(MilterProtocol.CMD_MAIL, Map.of("i", "Q1")));
    }

    private static Negotiated negotiated(int protocol) {
        return new Negotiated(6, MilterProtocol.ACTIONS_OFFERED, protocol, Map.of());
    }

    private static byte[] cat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void everyStepAwaitsItsReplyInOrder() throws Exception {
        var t = transaction();
        var c = new MilterConversation(negotiated(0), t);
        var written = new ArrayList<byte[]>();
        written.add(c.start());
        for (int i = 0; i < 8; i++) {
            written.add(c.receive(new MilterResponse.Continue()));
        }
        assertThat(c.verdict()).isNull();
        assertThat(written).containsExactly(
                MilterCommands.connect("[192.0.2.1]", t.clientAddress(), 25),
                MilterCommands.helo("helo.example"),
                cat(MilterCommands.macros('M', Map.of("i", "Q1")), MilterCommands.mail("<a@x>", List.of())),
                MilterCommands.rcpt("<b@x>", List.of()),
                MilterCommands.rcpt("<c@x>", List.of()),
                MilterCommands.data(),
                MilterCommands.header("Subject", "hi"),
                MilterCommands.header("To", "b@x"),
                MilterCommands.endOfHeaders());
        assertThat(c.receive(new MilterResponse.Continue())).isEqualTo(MilterCommands.body("body\r\n".getBytes()).get(0));
        assertThat(c.receive(new MilterResponse.Continue())).isEqualTo(MilterCommands.endOfBody());
        assertThat(c.receive(new MilterResponse.AddHeader("X-Spam", "no"))).isEmpty();
        assertThat(c.receive(new MilterResponse.Progress())).isEmpty();
        assertThat(c.receive(new MilterResponse.Continue())).isEmpty();
        assertThat(c.verdict()).isEqualTo(new MilterVerdict(MilterVerdict.Kind.PASS, null,
                List.of(new MilterResponse.AddHeader("X-Spam", "no")), false));
        assertThat(c.finish()).as("at end of body a QUIT_NC suffices").isEqualTo(MilterCommands.quitNewConnection());
    }

    @Test
    void stepsSwitchedOffAreNotSentAndReplyLessOnesGoWithTheNext() throws Exception {
        int protocol = MilterProtocol.P_NOCONNECT | MilterProtocol.P_NOHELO | MilterProtocol.P_NR_MAIL
                | MilterProtocol.P_NR_RCPT | MilterProtocol.P_NODATA | MilterProtocol.P_NR_HDR | MilterProtocol.P_NOEOH
                | MilterProtocol.P_NR_BODY | MilterProtocol.P_HDR_LEADSPC;
        var c = new MilterConversation(negotiated(protocol), transaction());
        assertThat(c.start()).isEqualTo(cat(MilterCommands.macros('M', Map.of("i", "Q1")),
                MilterCommands.mail("<a@x>", List.of()), MilterCommands.rcpt("<b@x>", List.of()),
                MilterCommands.rcpt("<c@x>", List.of()), MilterCommands.header("Subject", " hi"),
                MilterCommands.header("To", " b@x"), MilterCommands.body("body\r\n".getBytes()).get(0),
                MilterCommands.endOfBody()));
        c.receive(new MilterResponse.Accept());
        assertThat(c.verdict().kind()).isEqualTo(MilterVerdict.Kind.PASS);
        assertThat(c.verdict().leadingSpace()).isTrue();
    }

    @Test
    void skipEndsTheBodyEarly() throws Exception {
        var big = new byte[70_000];
        var t = transaction();
        var withBig = new MilterTransaction(t.clientName(), t.clientAddress(), 25, t.helo(), t.sender(), List.of(),
                t.recipients(), cat("Subject: x\r\n\r\n".getBytes(), big), Map.of());
        var c = new MilterConversation(negotiated(MilterProtocol.P_NOCONNECT | MilterProtocol.P_NOHELO
                | MilterProtocol.P_NOMAIL | MilterProtocol.P_NORCPT | MilterProtocol.P_NODATA | MilterProtocol.P_NOHDRS
                | MilterProtocol.P_NOEOH | MilterProtocol.P_SKIP), withBig);
        assertThat(c.start()).isEqualTo(MilterCommands.body(big).get(0));
        assertThat(c.receive(new MilterResponse.Skip())).isEqualTo(MilterCommands.endOfBody());
        c.receive(new MilterResponse.ReplyCode("554 5.7.1 No thanks"));
        assertThat(c.verdict()).isEqualTo(new MilterVerdict(MilterVerdict.Kind.REJECT, "554 5.7.1 No thanks", List.of(),
                false));
    }

    @Test
    void aVerdictBeforeEndOfBodyEndsTheMessageAndIsAborted() throws Exception {
        for (var r : List.of(new MilterResponse.Reject(), new MilterResponse.Tempfail(), new MilterResponse.Discard(),
                new MilterResponse.ReplyCode("421 4.7.0 busy"))) {
            var c = new MilterConversation(negotiated(0), transaction());
            c.start();
            c.receive(new MilterResponse.Continue());
            c.receive(r);
            assertThat(c.verdict().kind()).isNotEqualTo(MilterVerdict.Kind.PASS);
            assertThat(c.finish()).isEqualTo(cat(MilterCommands.abort(), MilterCommands.quitNewConnection()));
        }
    }

    @Test
    void modificationsBeforeEndOfBodyOrRepliesOutOfPlaceAreProtocolErrors() throws Exception {
        var c = new MilterConversation(negotiated(0), transaction());
        c.start();
        assertThatThrownBy(() -> c.receive(new MilterResponse.AddHeader("X", "y")))
                .isInstanceOf(MilterProtocolException.class);
        var d = new MilterConversation(negotiated(0), transaction());
        d.start();
        assertThatThrownBy(() -> d.receive(new MilterResponse.Skip())).isInstanceOf(MilterProtocolException.class);
        assertThatThrownBy(() -> d.receive(new MilterResponse.ReplyCode("250 ok")))
                .isInstanceOf(MilterProtocolException.class);
    }
}
