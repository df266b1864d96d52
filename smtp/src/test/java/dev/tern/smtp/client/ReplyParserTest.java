package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReplyParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Reply> parseAll(ReplyParser parser, String wire) {
        return parser.feed(bytes(wire));
    }

    @Test
    void parsesSingleLineReply() {
        List<Reply> replies = parseAll(new ReplyParser(), "250 OK\r\n");
        assertThat(replies).containsExactly(new Reply(250, null, List.of("OK")));
    }

    @Test
    void parsesMultiLineReplyIntoOneReply() {
        List<Reply> replies = parseAll(new ReplyParser(), "250-mx.example.net\r\n250-PIPELINING\r\n250 SIZE 100\r\n");
        assertThat(replies).containsExactly(new Reply(250, null, List.of("mx.example.net", "PIPELINING", "SIZE 100")));
    }

    @Test
    void returnsSeveralRepliesFromOneChunk() {
        List<Reply> replies = parseAll(new ReplyParser(), "250 2.1.0 Ok\r\n550 5.1.1 No\r\n354 Go\r\n");
        assertThat(replies).extracting(Reply::code).containsExactly(250, 550, 354);
    }

    @Test
    void givesTheSameRepliesWhateverTheChunkBoundaries() {
        String wire = "250-mx.example.net Hello\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n"
                + "550-5.1.1 first line\r\n550 5.1.1 second line\r\n354 go ahead\r\n421 4.3.2 bye\r\n";
        byte[] all = bytes(wire);
        List<Reply> expected = new ReplyParser().feed(all);
        assertThat(expected).hasSize(4);
        for (int cut1 = 0; cut1 <= all.length; cut1++) {
            for (int cut2 = cut1; cut2 <= all.length; cut2++) {
                var parser = new ReplyParser();
                List<Reply> got = new ArrayList<>();
                got.addAll(parser.feed(all, 0, cut1));
                got.addAll(parser.feed(all, cut1, cut2 - cut1));
                got.addAll(parser.feed(all, cut2, all.length - cut2));
                assertThat(got).as("cuts at %d and %d", cut1, cut2).isEqualTo(expected);
            }
        }
    }

    @Test
    void givesTheSameRepliesWhenFedOneByteAtATime() {
        byte[] all = bytes("250-a\r\n250 b\r\n550 5.1.1 c\r\n");
        var parser = new ReplyParser();
        List<Reply> got = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            got.addAll(parser.feed(all, i, 1));
        }
        assertThat(got).containsExactlyElementsOf(new ReplyParser().feed(all));
        assertThat(parser.hasPartialReply()).isFalse();
    }

    @Test
    void toleratesBareLfLineEndings() {
        List<Reply> replies = parseAll(new ReplyParser(), "250-one\n250 two\n");
        assertThat(replies).containsExactly(new Reply(250, null, List.of("one", "two")));
    }

    @Test
    void acceptsCodeWithoutText() {
        assertThat(parseAll(new ReplyParser(), "250\r\n")).containsExactly(new Reply(250, null, List.of("")));
    }

    @Test
    void extractsEnhancedStatusWhoseClassMatchesEvenWithoutAdvertisement() {
        Reply reply = parseAll(new ReplyParser(), "550 5.1.1 No such user\r\n").get(0);
        assertThat(reply.status()).isEqualTo(new EnhancedStatus(5, 1, 1));
        assertThat(reply.lines()).containsExactly("No such user");
        assertThat(reply.text()).isEqualTo("5.1.1 No such user");
    }

    @Test
    void leavesMismatchedStatusInTextWhenNotAdvertised() {
        Reply reply = parseAll(new ReplyParser(), "550 2.0.0 odd\r\n").get(0);
        assertThat(reply.status()).isNull();
        assertThat(reply.lines()).containsExactly("2.0.0 odd");
    }

    @Test
    void forcesStatusClassToReplyClassWhenAdvertised() {
        var parser = new ReplyParser();
        parser.enhancedStatusCodes(true);
        Reply reply = parseAll(parser, "451 5.7.1 try later\r\n").get(0);
        assertThat(reply.status()).isEqualTo(new EnhancedStatus(4, 7, 1));
        assertThat(reply.lines()).containsExactly("try later");
    }

    @Test
    void stripsRepeatedStatusFromEveryLineOfMultiLineReply() {
        Reply reply = parseAll(new ReplyParser(), "554-5.7.1 rejected:\r\n554-5.7.1 see\r\n554 5.7.1 https://example\r\n").get(0);
        assertThat(reply.status()).isEqualTo(new EnhancedStatus(5, 7, 1));
        assertThat(reply.lines()).containsExactly("rejected:", "see", "https://example");
    }

    @Test
    void neverExtractsStatusFromIntermediateReplies() {
        var parser = new ReplyParser();
        parser.enhancedStatusCodes(true);
        Reply reply = parseAll(parser, "354 2.0.0 go ahead\r\n").get(0);
        assertThat(reply.status()).isNull();
        assertThat(reply.lines()).containsExactly("2.0.0 go ahead");
    }

    @Test
    void replacesInvalidUtf8InsteadOfFailing() {
        byte[] wire = {'5', '5', '0', ' ', 'x', (byte) 0xff, 'y', '\r', '\n'};
        Reply reply = new ReplyParser().feed(wire).get(0);
        assertThat(reply.lines().get(0)).isEqualTo("x\uFFFDy");
    }

    @Test
    void rejectsNonNumericCode() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "2x0 hi\r\n"))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("malformed reply line: 2x0 hi");
    }

    @Test
    void rejectsCodeOutsideTheGrammar() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "190 hi\r\n")).isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "260 hi\r\n")).isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "600 hi\r\n")).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void rejectsShortLine() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "25\r\n")).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void rejectsBadSeparatorAfterCode() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "250_ok\r\n")).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void rejectsCodeChangeInsideMultiLineReply() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "250-a\r\n251 b\r\n"))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("from 250 to 251");
    }

    @Test
    void rejectsBareCrInsideLine() {
        assertThatThrownBy(() -> parseAll(new ReplyParser(), "250 a\rb\r\n")).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void rejectsLineLongerThanTheLimitBeforeBufferingIt() {
        var parser = new ReplyParser(16, 5);
        byte[] longLine = bytes("250 " + "x".repeat(100));
        assertThatThrownBy(() -> parser.feed(longLine))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("longer than 16 octets");
    }

    @Test
    void acceptsLineExactlyAtTheLimit() {
        var parser = new ReplyParser(16, 5);
        assertThat(parser.feed(bytes("250 " + "x".repeat(12) + "\r\n"))).hasSize(1);
        assertThat(parser.feed(bytes("250 " + "x".repeat(12) + "\n"))).hasSize(1);
        assertThatThrownBy(() -> parser.feed(bytes("250 " + "x".repeat(13) + "\n"))).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void rejectsReplyWithTooManyLines() {
        var parser = new ReplyParser(100, 3);
        assertThatThrownBy(() -> parser.feed(bytes("250-a\r\n250-b\r\n250-c\r\n250 d\r\n")))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("longer than 3 lines");
    }

    @Test
    void staysFailedAfterAProtocolError() {
        var parser = new ReplyParser();
        assertThatThrownBy(() -> parser.feed(bytes("xyz\r\n"))).isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> parser.feed(bytes("250 ok\r\n"))).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void reportsPartialReplyForTruncationDetection() {
        var parser = new ReplyParser();
        parser.feed(bytes("250-first\r\n"));
        assertThat(parser.hasPartialReply()).isTrue();
        parser.feed(bytes("250 last\r\n"));
        assertThat(parser.hasPartialReply()).isFalse();
    }
}
