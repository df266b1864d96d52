package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DotStufferTest {

    private static String wire(String message) {
        return new String(DotStuffer.encodeAll(message.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void doublesDotAtStartOfEveryLine() {
        assertThat(wire(".a\r\nb.c\r\n..\r\n.\r\n")).isEqualTo("..a\r\nb.c\r\n...\r\n..\r\n.\r\n");
    }

    @Test
    void doublesDotOnFirstLine() {
        assertThat(wire(".")).isEqualTo("..\r\n.\r\n");
    }

    @Test
    void normalisesBareLfToCrlf() {
        assertThat(wire("a\nb\n")).isEqualTo("a\r\nb\r\n.\r\n");
    }

    @Test
    void normalisesBareCrToCrlf() {
        assertThat(wire("a\rb\r")).isEqualTo("a\r\nb\r\n.\r\n");
    }

    @Test
    void neverEmitsSmugglingSequences() {
        assertThat(wire("a\n.\nb\r\n.\rc\r\n")).isEqualTo("a\r\n..\r\nb\r\n..\r\nc\r\n.\r\n");
    }

    @Test
    void addsMissingFinalCrlf() {
        assertThat(wire("no newline")).isEqualTo("no newline\r\n.\r\n");
    }

    @Test
    void keepsExistingFinalCrlf() {
        assertThat(wire("line\r\n")).isEqualTo("line\r\n.\r\n");
    }

    @Test
    void encodesEmptyMessageAsTerminatorOnly() {
        assertThat(wire("")).isEqualTo(".\r\n");
    }

    @Test
    void handlesCrLfSplitAcrossChunks() {
        var stuffer = new DotStuffer();
        var out = new ByteArrayOutputStream();
        out.writeBytes(stuffer.encode("a\r".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(stuffer.encode("\n.b\r".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(stuffer.finish());
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a\r\n..b\r\n.\r\n");
    }

    @Test
    void refusesToEncodeAfterFinish() {
        var stuffer = new DotStuffer();
        stuffer.finish();
        assertThatThrownBy(() -> stuffer.encode(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givesTheSameOutputForEveryChunkBoundary() {
        byte[] message = "From: a\r\n.x\n\r..\r\r\n.\r\nend.".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = DotStuffer.encodeAll(message);
        for (int cut1 = 0; cut1 <= message.length; cut1++) {
            for (int cut2 = cut1; cut2 <= message.length; cut2++) {
                var stuffer = new DotStuffer();
                var out = new ByteArrayOutputStream();
                out.writeBytes(stuffer.encode(message, 0, cut1));
                out.writeBytes(stuffer.encode(message, cut1, cut2 - cut1));
                out.writeBytes(stuffer.encode(message, cut2, message.length - cut2));
                out.writeBytes(stuffer.finish());
                assertThat(out.toByteArray()).as("cuts %d/%d", cut1, cut2).isEqualTo(expected);
            }
        }
    }

    /** Random messages over a small alphabet rich in '.', CR and LF, split at random points. */
    @Test
    void randomChunkingMatchesReferenceModelAndUnstuffsToNormalisedInput() {
        byte[] alphabet = {'.', '.', '\r', '\n', 'a', 'b', ' '};
        for (long seed = 1; seed <= 300; seed++) {
            var random = new Random(seed);
            byte[] message = new byte[random.nextInt(200)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[random.nextInt(alphabet.length)];
            }
            var stuffer = new DotStuffer();
            var out = new ByteArrayOutputStream();
            int pos = 0;
            while (pos < message.length) {
                int len = Math.min(message.length - pos, random.nextInt(8));
                out.writeBytes(stuffer.encode(message, pos, len));
                pos += len;
            }
            out.writeBytes(stuffer.finish());
            String wire = out.toString(StandardCharsets.US_ASCII);
            String normalised = normalise(new String(message, StandardCharsets.US_ASCII));

            assertThat(wire).as("seed %d", seed).isEqualTo(referenceStuff(normalised));
            assertThat(wire).as("seed %d", seed).endsWith("\r\n.\r\n".substring(wire.length() == 3 ? 2 : 0));
            assertThat(wire.replace("\r\n", "")).as("seed %d: no bare CR or LF", seed).doesNotContain("\r").doesNotContain("\n");
            assertThat(unstuff(wire)).as("seed %d", seed).isEqualTo(normalised);
        }
    }

    // CRLF, bare CR, bare LF -> CRLF; ensure final CRLF when non-empty.
    private static String normalise(String s) {
        String crlf = s.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        return crlf.isEmpty() || crlf.endsWith("\r\n") ? crlf : crlf + "\r\n";
    }

    private static String referenceStuff(String normalised) {
        var out = new StringBuilder();
        for (String line : normalised.split("\r\n", -1)) {
            out.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        // split leaves one empty element after the final CRLF: that slot becomes the terminator.
        out.setLength(out.length() - 2);
        return out + ".\r\n";
    }

    // The receiver's view (RFC 5321 §4.5.2): strip one leading dot per line, stop at the lone dot.
    private static String unstuff(String wire) {
        var out = new StringBuilder();
        for (String line : wire.split("\r\n", -1)) {
            if (line.equals(".")) {
                return out.toString();
            }
            out.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        throw new AssertionError("no terminator in " + wire);
    }
}
