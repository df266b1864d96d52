package dev.tern.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandLineReaderTest {

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<String> readAll(CommandLineReader reader, ByteBuffer in) {
        var out = new ArrayList<String>();
        LineResult result;
        while ((result = reader.next(in)) != null) {
            out.add(render(result));
        }
        return out;
    }

    private static String render(LineResult result) {
        return result instanceof LineResult.Line line ? new String(line.bytes(), StandardCharsets.ISO_8859_1)
                : "!" + ((LineResult.Refused) result).problem();
    }

    @Test
    void returnsPipelinedCommandsOneAtATime() {
        assertThat(readAll(new CommandLineReader(), ascii("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")))
                .containsExactly("MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA");
    }

    @Test
    void stopsRightAfterTheLineSoTheCallerSeesWhatFollows() {
        ByteBuffer in = ascii("STARTTLS\r\nMAIL FROM:<evil@x>\r\n");
        LineResult first = new CommandLineReader().next(in);
        assertThat(render(first)).isEqualTo("STARTTLS");
        assertThat(in.position()).isEqualTo(10);
        assertThat(in.remaining()).isEqualTo(20);
    }

    @Test
    void waitsForTheRestOfALineSplitAcrossChunks() {
        var reader = new CommandLineReader();
        assertThat(reader.next(ascii("NO"))).isNull();
        assertThat(reader.hasPartialLine()).isTrue();
        assertThat(reader.next(ascii("OP\r"))).isNull();
        assertThat(render(reader.next(ascii("\n")))).isEqualTo("NOOP");
        assertThat(reader.hasPartialLine()).isFalse();
    }

    @Test
    void acceptsALineOfExactly512OctetsIncludingCrlf() {
        String line = "NOOP " + "x".repeat(505);
        assertThat(readAll(new CommandLineReader(), ascii(line + "\r\n"))).containsExactly(line);
    }

    @Test
    void refuses513OctetLineAndResyncsAtTheNextCrlf() {
        String line = "NOOP " + "x".repeat(506);
        assertThat(readAll(new CommandLineReader(), ascii(line + "\r\nQUIT\r\n")))
                .containsExactly("!TOO_LONG", "QUIT");
    }

    @Test
    void discardsAnEndlessLineWithoutBufferingIt() {
        var reader = new CommandLineReader();
        for (int i = 0; i < 1000; i++) {
            assertThat(reader.next(ascii("y".repeat(1024)))).isNull();
        }
        assertThat(render(reader.next(ascii("\r\n")))).isEqualTo("!TOO_LONG");
    }

    @Test
    void refusesBareLfAsLineEnd() {
        assertThat(readAll(new CommandLineReader(), ascii("NOOP\nQUIT\r\n"))).containsExactly("!BARE_LF", "QUIT");
    }

    @Test
    void refusesBareCrInsideALine() {
        assertThat(readAll(new CommandLineReader(), ascii("NO\rOP\r\nQUIT\r\n"))).containsExactly("!BARE_CR", "QUIT");
    }

    @Test
    void refusesCrCrLfAsBareCr() {
        assertThat(readAll(new CommandLineReader(), ascii("NOOP\r\r\n"))).containsExactly("!BARE_CR");
    }

    @Test
    void refusesNulInsideALine() {
        assertThat(readAll(new CommandLineReader(), ascii("NO\0OP\r\n"))).containsExactly("!NUL");
    }

    @Test
    void deliversAnEmptyLine() {
        assertThat(readAll(new CommandLineReader(), ascii("\r\n"))).containsExactly("");
    }

    @Test
    void resetForgetsAPartialLine() {
        var reader = new CommandLineReader();
        reader.next(ascii("MAIL FROM:<inj"));
        reader.reset();
        assertThat(readAll(reader, ascii("EHLO x\r\n"))).containsExactly("EHLO x");
    }

    @Test
    void largerLimitAcceptsLongSaslResponses() {
        var reader = new CommandLineReader();
        reader.setMaxLineOctets(12288);
        String response = "A".repeat(4000);
        assertThat(readAll(reader, ascii(response + "\r\n"))).containsExactly(response);
    }

    @Test
    void randomSplitsNeverChangeTheLines() {
        String stream = "EHLO a\r\nNOOP\nMAIL FROM:<a@b>\r\n" + "z".repeat(600) + "\r\nNO\rOP\r\nQUIT\r\n";
        List<String> expected = readAll(new CommandLineReader(), ascii(stream));
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        for (long seed = 1; seed <= 300; seed++) {
            var random = new Random(seed);
            var reader = new CommandLineReader();
            var actual = new ArrayList<String>();
            int at = 0;
            while (at < bytes.length) {
                int n = 1 + random.nextInt(Math.min(40, bytes.length - at));
                actual.addAll(readAll(reader, ByteBuffer.wrap(bytes, at, n)));
                at += n;
            }
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        }
        assertThat(expected).containsExactly("EHLO a", "!BARE_LF", "MAIL FROM:<a@b>", "!TOO_LONG", "!BARE_CR", "QUIT");
    }
}
