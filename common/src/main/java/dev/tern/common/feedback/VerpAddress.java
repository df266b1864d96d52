package dev.tern.common.feedback;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The variable envelope return path (VERP) of one delivery: the bounce address that names the
 * message and the recipient a later report is about (docs/ARCHITECTURE.md, "Feedback loops and VERP").
 *
 * <p>Encoding, local part of {@code <prefix>+<queue-id>+<rcpt-local>=<rcpt-domain>@<bounce-domain>}:
 * <ul>
 *   <li>the queue id as it is (Crockford base32, read back case-insensitively, so a relay that
 *       folds the local part to lower case does no harm);</li>
 *   <li>the recipient's local part with letters, digits, {@code - _ + .} kept and every other octet
 *       of its UTF-8 form written {@code =XX} (upper-case hex), as is a dot that follows a dot, so the
 *       result is always a dot-atom (RFC 5321 §4.1.2) whatever the original was (quoted strings,
 *       {@code =}, {@code @}, non-ASCII);</li>
 *   <li>the recipient's domain, lower-cased, after the <em>last</em> {@code =}: a domain has no
 *       {@code =}, and every literal {@code =} before it starts an escape, so the split is unambiguous.</li>
 * </ul>
 * When that local part would exceed 64 octets (RFC 5321 §4.5.3.1.1), or the recipient's domain is
 * not plain ASCII letters, digits, hyphens and dots, the short form {@code <prefix>+<queue-id>}
 * is used: the queue id is kept and the recipient must come from the report itself
 * (Final-Recipient, Original-Rcpt-To). Pure and thread-safe.
 *
 * @param queueId   the queue id of the message the report is about
 * @param recipient the original recipient, empty for the short form
 */
public record VerpAddress(String queueId, Optional<String> recipient) {

    /** RFC 5321 §4.5.3.1.1: the longest local part every server must accept. */
    public static final int MAX_LOCAL_PART = 64;

    private static final String QUEUE_ID = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}";
    private static final String LDH_DOMAIN = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public VerpAddress {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(recipient, "recipient");
    }

    /**
     * The bounce address for mail {@code queueId} to {@code recipient}: the full form when it fits,
     * else the short form.
     */
    public static String encode(String prefix, String bounceDomain, String queueId, String recipient) {
        int at = recipient.lastIndexOf('@');
        String head = prefix + '+' + queueId;
        if (at > 0) {
            String domain = recipient.substring(at + 1).toLowerCase(Locale.ROOT);
            String full = head + '+' + escape(recipient.substring(0, at)) + '=' + domain;
            if (domain.matches(LDH_DOMAIN) && full.length() <= MAX_LOCAL_PART) {
                return full + '@' + bounceDomain;
            }
        }
        return head + '@' + bounceDomain;
    }

    /**
     * Reads a bounce address back; empty when {@code address} is not one of ours (another domain,
     * another prefix, no queue id, a broken escape). Prefix and domain compare case-insensitively.
     */
    public static Optional<VerpAddress> decode(String prefix, String bounceDomain, String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || !address.substring(at + 1).equalsIgnoreCase(bounceDomain)) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        if (local.length() < prefix.length() + 1
                || !local.regionMatches(true, 0, prefix + '+', 0, prefix.length() + 1)) {
            return Optional.empty();
        }
        String rest = local.substring(prefix.length() + 1);
        int plus = rest.indexOf('+');
        String id = plus < 0 ? rest : rest.substring(0, plus);
        if (!id.matches(QUEUE_ID)) {
            return Optional.empty();
        }
        id = id.toUpperCase(Locale.ROOT);
        if (plus < 0) {
            return Optional.of(new VerpAddress(id, Optional.empty()));
        }
        String rcpt = rest.substring(plus + 1);
        int eq = rcpt.lastIndexOf('=');
        if (eq <= 0 || eq == rcpt.length() - 1) {
            return Optional.empty();
        }
        String domain = rcpt.substring(eq + 1).toLowerCase(Locale.ROOT);
        Optional<String> rcptLocal = unescape(rcpt.substring(0, eq));
        if (!domain.matches(LDH_DOMAIN) || rcptLocal.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new VerpAddress(id, Optional.of(rcptLocal.get() + '@' + domain)));
    }

    static String escape(String local) {
        var out = new StringBuilder(local.length() + 8);
        byte[] bytes = local.getBytes(StandardCharsets.UTF_8);
        byte previous = 0;
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '+' || (c == '.' && previous != '.');
            if (plain) {
                out.append(c);
            } else {
                out.append('=').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            previous = b;
        }
        return out.toString();
    }

    static Optional<String> unescape(String encoded) {
        var out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '=') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x7f) {
                return Optional.empty();
            } else {
                out.write(c);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
