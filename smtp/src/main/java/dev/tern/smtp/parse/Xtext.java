package dev.tern.smtp.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3461 §4 xtext, the encoding of ENVID, ORCPT and AUTH= values: printable ASCII except
 * {@code +} and {@code =} stands for itself; any other octet is {@code +} and two hex digits.
 *
 * <p>Decoding accepts lower-case hex digits too (the RFC asks senders for upper case; refusing a
 * whole MAIL for that helps no one). Decoded octets are read as UTF-8. Stateless.
 */
public final class Xtext {

    private Xtext() {
    }

    /** The decoded text, or {@code null} when {@code xtext} is not valid xtext. */
    public static String decode(String xtext) {
        var out = new ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    return null;
                }
                int hi = hex(xtext.charAt(i + 1));
                int lo = hex(xtext.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c >= '!' && c <= '~' && c != '=') {
                out.write(c);
            } else {
                return null;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Encodes {@code text} (as UTF-8 octets) into xtext, hex digits in upper case. */
    public static String encode(String text) {
        var out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
