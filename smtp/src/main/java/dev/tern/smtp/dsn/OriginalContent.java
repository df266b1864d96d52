package dev.tern.smtp.dsn;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Byte-level facts about the returned original message: where its header section ends, whether it
 * has 8-bit octets, and its CRLF-normalised form.
 *
 * <p>The header section ends at the first empty line (RFC 5322 §2.1); a message without one is all
 * header. Line endings are normalised to CRLF (bare CR or LF would make the DSN itself a carrier of
 * the ambiguous line endings that SMTP smuggling needs). Stateless.
 */
final class OriginalContent {

    private OriginalContent() {
    }

    /** The header section, each line CRLF-terminated, without the blank separator line. */
    static byte[] headers(byte[] normalised) {
        int lineStart = 0;
        while (lineStart < normalised.length) {
            int eol = indexOfCrlf(normalised, lineStart);
            if (eol < 0) {
                break;
            }
            if (eol == lineStart) {
                return Arrays.copyOf(normalised, lineStart);
            }
            lineStart = eol + 2;
        }
        return normalised;
    }

    static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** CRLF, bare CR and bare LF all become CRLF; a missing final CRLF is added. */
    static byte[] normalise(byte[] message) {
        var out = new ByteArrayOutputStream(message.length + 16);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < message.length && message[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        byte[] result = out.toByteArray();
        if (result.length > 0 && result[result.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
            result = out.toByteArray();
        }
        return result;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
