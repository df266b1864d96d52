package dev.tern.smtp.address;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The RFC 5321 §4.1.2 grammar for Path, Mailbox, Local-part and Domain, widened by RFC 6531 §3.3
 * (UTF-8 in atext, qtextSMTP and sub-domains) when the transaction declared SMTPUTF8.
 *
 * <p>Scanning works on decoded text: the caller decodes the command line as UTF-8 with
 * replacement, so a U+FFFD here means the client sent bytes that are not UTF-8. Failures are thrown
 * as {@link AddressException} and turned into replies by the public parse methods. Stateless.
 */
final class AddressSyntax {

    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;
    private static final int MAX_LABEL = 63;

    private AddressSyntax() {
    }

    /**
     * Parses {@code <[A-d-l ":"] Mailbox>}, dropping any source route as RFC 5321 §4.1.1.3 and
     * Appendix C allow ("SHOULD ignore the route"), and returns the mailbox.
     */
    static Mailbox path(String text, boolean utf8) {
        checkCharset(text, utf8);
        if (octets(text) > MAX_PATH) {
            throw new AddressException(AddressError.PATH_TOO_LONG);
        }
        if (text.length() < 2 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>') {
            throw new AddressException(AddressError.SYNTAX);
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.startsWith("@")) {
            // A-d-l domains cannot contain ':', so the first colon ends the route.
            int colon = inner.indexOf(':');
            if (colon < 0) {
                throw new AddressException(AddressError.SYNTAX);
            }
            for (String hop : inner.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@")) {
                    throw new AddressException(AddressError.SYNTAX);
                }
                domain(hop.substring(1), utf8, false);
            }
            inner = inner.substring(colon + 1);
        }
        return mailbox(inner, utf8);
    }

    /** Parses {@code Local-part "@" ( Domain / address-literal )}. */
    static Mailbox mailbox(String text, boolean utf8) {
        checkCharset(text, utf8);
        int at = localPartEnd(text, utf8);
        if (at >= text.length() || text.charAt(at) != '@') {
            throw new AddressException(AddressError.SYNTAX);
        }
        String wireLocal = text.substring(0, at);
        String domain = domain(text.substring(at + 1), utf8, true);
        if (octets(wireLocal) > MAX_LOCAL_PART) {
            throw new AddressException(AddressError.LOCAL_PART_TOO_LONG);
        }
        return new Mailbox(unquote(wireLocal), domain);
    }

    /** Validates and normalises (lower case, canonical literal) a Domain or address-literal. */
    static String domain(String text, boolean utf8, boolean allowLiteral) {
        checkCharset(text, utf8);
        if (text.startsWith("[")) {
            if (!allowLiteral || !text.endsWith("]") || text.length() < 3) {
                throw new AddressException(AddressError.SYNTAX);
            }
            String literal = AddressLiterals.normalize(text.substring(1, text.length() - 1));
            if (literal == null) {
                throw new AddressException(AddressError.SYNTAX);
            }
            return "[" + literal + "]";
        }
        if (octets(text) > MAX_DOMAIN) {
            throw new AddressException(AddressError.DOMAIN_TOO_LONG);
        }
        for (String label : text.split("\\.", -1)) {
            if (!isLabel(label, utf8)) {
                throw new AddressException(AddressError.SYNTAX);
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** True when {@code text} is a Dot-string, i.e. can be written without quotes. */
    static boolean isDotString(String text, boolean utf8) {
        if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && !isAtext(c, utf8)) {
                return false;
            }
        }
        return true;
    }

    static int octets(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Index just past the Local-part: a Quoted-string or a Dot-string. */
    private static int localPartEnd(String text, boolean utf8) {
        if (text.startsWith("\"")) {
            int i = 1;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\') {
                    // quoted-pairSMTP = %d92 %d32-126
                    if (i + 1 >= text.length() || !isPrintableAscii(text.charAt(i + 1))) {
                        throw new AddressException(AddressError.SYNTAX);
                    }
                    i += 2;
                } else if (isQtext(c, utf8)) {
                    i++;
                } else {
                    throw new AddressException(AddressError.SYNTAX);
                }
            }
            throw new AddressException(AddressError.SYNTAX);
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || !isDotString(text.substring(0, at), utf8)) {
            throw new AddressException(AddressError.SYNTAX);
        }
        return at;
    }

    /** The Local-part's value: quotes removed, quoted-pairs resolved. */
    private static String unquote(String wire) {
        if (!wire.startsWith("\"")) {
            return wire;
        }
        var out = new StringBuilder(wire.length());
        for (int i = 1; i < wire.length() - 1; i++) {
            char c = wire.charAt(i);
            if (c == '\\') {
                c = wire.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** sub-domain = Let-dig [Ldh-str], at most 63 octets; RFC 6531 adds U-labels. */
    private static boolean isLabel(String label, boolean utf8) {
        if (label.isEmpty() || octets(label) > MAX_LABEL) {
            return false;
        }
        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = isAsciiAlnum(c) || c == '-' || (utf8 && c >= 0x80 && !Character.isWhitespace(c));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static void checkCharset(String text, boolean utf8) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD') {
                throw new AddressException(AddressError.MALFORMED_UTF8);
            }
            if (c >= 0x80 && !utf8) {
                throw new AddressException(AddressError.NON_ASCII);
            }
        }
    }

    /** atext of RFC 5322 §3.2.3, plus UTF8-non-ascii when SMTPUTF8 is in effect. */
    private static boolean isAtext(char c, boolean utf8) {
        return isAsciiAlnum(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || (utf8 && c >= 0x80);
    }

    /** qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF8-non-ascii with SMTPUTF8. */
    private static boolean isQtext(char c, boolean utf8) {
        return (isPrintableAscii(c) && c != '"' && c != '\\') || (utf8 && c >= 0x80);
    }

    private static boolean isPrintableAscii(char c) {
        return c >= 32 && c <= 126;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
