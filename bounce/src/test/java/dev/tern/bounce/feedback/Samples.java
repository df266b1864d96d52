package dev.tern.bounce.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Report samples under {@code src/test/resources/feedback/}, from the RFCs' appendices and real senders' formats. */
final class Samples {

    private Samples() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/feedback/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same sample with CRLF line ends, as it arrives over SMTP. */
    static byte[] crlf(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n")
                .replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static MimePart part(String name) {
        return MimePart.parse(bytes(name));
    }
}
