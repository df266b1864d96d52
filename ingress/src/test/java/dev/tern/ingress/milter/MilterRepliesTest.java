package dev.tern.ingress.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MilterRepliesTest {

    @Test
    void aMilterReplyKeepsItsCodeStatusAndText() {
        var r = MilterReplies.parse("554 5.7.1 Gtube pattern", MilterReplies.REJECTED);
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.status().toString()).isEqualTo("5.7.1");
        assertThat(r.lines()).containsExactly("Gtube pattern");
        assertThat(MilterReplies.parse("550-5.7.1 one\r\n550 5.7.1 two", MilterReplies.REJECTED).lines())
                .containsExactly("one", "two");
    }

    @Test
    void missingMalformedOrWrongClassRepliesFallBack() {
        assertThat(MilterReplies.parse(null, MilterReplies.REJECTED)).isEqualTo(MilterReplies.REJECTED);
        assertThat(MilterReplies.parse("rejected", MilterReplies.REJECTED)).isEqualTo(MilterReplies.REJECTED);
        assertThat(MilterReplies.parse("451 4.7.1 later", MilterReplies.REJECTED)).isEqualTo(MilterReplies.REJECTED);
        assertThat(MilterReplies.UNAVAILABLE_TEMPFAIL.toString()).contains("451").contains("4.7.1")
                .contains("Content scanner unavailable, try later");
    }

    @Test
    void theSpamScoreIsReadFromTheLastScoreHeader() {
        assertThat(SpamScore.of(bytes("Subject: x\r\n\r\nbody"))).isEmpty();
        assertThat(SpamScore.of(bytes("X-Spam-Score: 99\r\nX-Spamd-Result: default: False [3.40 / 15.00];\r\n"
                + "\tSYM(1.00)\r\n\r\n")).getAsDouble()).isEqualTo(3.4);
        assertThat(SpamScore.of(bytes("X-Rspamd-Score: -1.5\r\n\r\n")).getAsDouble()).isEqualTo(-1.5);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
