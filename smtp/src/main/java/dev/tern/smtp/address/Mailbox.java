package dev.tern.smtp.address;

import dev.tern.smtp.reply.Parsed;
import java.util.Objects;

/**
 * An RFC 5321 §4.1.2 Mailbox: a local part and a domain (or address literal).
 *
 * <p>The local part is held as its value, with quoting removed ({@code "a b"@x} has local part
 * {@code a b}); {@link #toString()} quotes it again when it is not a Dot-string, so
 * {@code "joe"@x} and {@code joe@x} are the same mailbox, as §4.1.2 says. The local part keeps its
 * case (§2.4: only the destination host may interpret it); the domain is lower-cased and address
 * literals are canonical ({@code [IPv6:2001:db8::1]}).
 *
 * <p>Instances come from {@link #parse} (untrusted input) or {@link #of} (trusted input, throws on
 * bad syntax). Immutable and thread-safe.
 */
public record Mailbox(String localPart, String domain) {

    public Mailbox {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
    }

    /**
     * Parses {@code local@domain} (no angle brackets). {@code smtpUtf8} allows RFC 6531 UTF-8; a
     * failure is reported with the recipient status codes ({@link AddressRole#RECIPIENT}).
     */
    public static Parsed<Mailbox> parse(String text, boolean smtpUtf8) {
        return parse(text, smtpUtf8, AddressRole.RECIPIENT);
    }

    /** Parses {@code local@domain}, reporting failures with the status codes of {@code role}. */
    public static Parsed<Mailbox> parse(String text, boolean smtpUtf8, AddressRole role) {
        try {
            return Parsed.ok(AddressSyntax.mailbox(text, smtpUtf8));
        } catch (AddressException e) {
            return Parsed.failed(e.error().reply(role));
        }
    }

    /**
     * A mailbox from trusted text such as configuration; throws {@link IllegalArgumentException}
     * when {@code text} is not a valid (UTF-8 allowed) mailbox.
     */
    public static Mailbox of(String text) {
        try {
            return AddressSyntax.mailbox(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a mailbox (" + e.error() + "): " + text, e);
        }
    }

    /**
     * True when the local part contains {@code %}, {@code !} or {@code @}: the "percent hack",
     * UUCP bang paths and quoted {@code "user@other"@host} that old MTAs would forward on. Relay
     * control refuses such recipients for local domains so that they cannot be used to relay
     * (Postfix {@code allow_untrusted_routing = no}).
     */
    public boolean hasRoutingCharacters() {
        return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
    }

    /** True when the domain is an address literal such as {@code [192.0.2.1]}. */
    public boolean isAddressLiteral() {
        return domain.startsWith("[");
    }

    /** True when either part contains non-ASCII characters, so relaying it needs SMTPUTF8. */
    public boolean needsSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The local part as written on the wire: the value itself, or quoted when it must be. */
    public String wireLocalPart() {
        if (AddressSyntax.isDotString(localPart, true)) {
            return localPart;
        }
        var out = new StringBuilder(localPart.length() + 2).append('"');
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** {@code local@domain} in wire form, without angle brackets. */
    @Override
    public String toString() {
        return wireLocalPart() + "@" + domain;
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }
}
