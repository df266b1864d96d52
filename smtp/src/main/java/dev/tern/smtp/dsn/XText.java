package dev.tern.smtp.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The xtext encoding of RFC 3461 §4 used by the ENVID and ORCPT parameters.
 *
 * <p>{@code xtext = *( xchar / hexchar )}: octets {@code !} through {@code ~} except {@code +} and
 * {@code =} stand for themselves, every other octet is {@code +} and two upper-case hex digits. Strings
 * are encoded as their UTF-8 octets, so a non-ASCII ORCPT survives the trip even though RFC 6533 §3's
 * {@code utf-8-addr-xtext} form is not produced. Stateless and thread-safe.
 */
public final class XText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private XText() {
    }

    public static String encode(String value) {
        var out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes xtext (hex digits in either case: the RFC asks senders for upper case, but refusing
     * a whole MAIL for that helps no one); throws {@link IllegalArgumentException} on anything
     * that is not xtext: a malformed {@code +XX}, a bare {@code =}, space, control or non-ASCII.
     */
    public static String decode(String xtext) {
        var out = new ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c < '!' || c > '~' || c == '=') {
                throw new IllegalArgumentException("not xtext (RFC 3461 §4): " + xtext);
            }
            if (c != '+') {
                out.write(c);
                continue;
            }
            if (i + 2 >= xtext.length()) {
                throw new IllegalArgumentException("truncated xtext escape in " + xtext);
            }
            int hi = Character.digit(xtext.charAt(i + 1), 16);
            int lo = Character.digit(xtext.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad xtext escape in " + xtext);
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@link #decode}, or {@code null} when the text is not valid xtext: for parsers. */
    public static String decodeOrNull(String xtext) {
        try {
            return decode(xtext);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
