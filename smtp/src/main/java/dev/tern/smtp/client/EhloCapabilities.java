package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The service extensions a server advertised in its EHLO/LHLO reply (RFC 5321 §4.1.1.1).
 *
 * <p>The first reply line is the server's name and greeting; every further line is
 * {@code keyword [SP params]}. Keywords are matched case-insensitively. Understood explicitly:
 * PIPELINING (RFC 2920), SIZE (RFC 1870, {@code 0} or no number means no fixed limit), 8BITMIME
 * (RFC 6152), SMTPUTF8 (RFC 6531), STARTTLS (RFC 3207), ENHANCEDSTATUSCODES (RFC 2034), CHUNKING
 * (RFC 3030), DSN (RFC 3461) and AUTH (RFC 4954, also the obsolete {@code AUTH=} form some servers
 * still send). Anything else is kept and answerable through {@link #supports(String)}.
 *
 * <p>Immutable and thread-safe. A server that only answered HELO has {@link #none()}.
 */
public final class EhloCapabilities {

    private static final EhloCapabilities NONE = new EhloCapabilities("", Map.of());

    private final String serverName;
    private final Map<String, String> keywords;

    private EhloCapabilities(String serverName, Map<String, String> keywords) {
        this.serverName = serverName;
        this.keywords = Collections.unmodifiableMap(keywords);
    }

    /** No extensions: the server answered HELO only (RFC 5321 §3.2). */
    public static EhloCapabilities none() {
        return NONE;
    }

    /** Parses a positive EHLO or LHLO reply. */
    public static EhloCapabilities parse(Reply ehloReply) {
        List<String> lines = ehloReply.lines();
        String first = lines.get(0).trim();
        int sp = first.indexOf(' ');
        String name = sp < 0 ? first : first.substring(0, sp);
        Map<String, String> keywords = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int split = indexOfSeparator(trimmed);
            String keyword = (split < 0 ? trimmed : trimmed.substring(0, split)).toUpperCase(Locale.ROOT);
            String params = split < 0 ? "" : trimmed.substring(split + 1).trim();
            keywords.merge(keyword, params, (a, b) -> (a + " " + b).trim());
        }
        return new EhloCapabilities(name, keywords);
    }

    // "AUTH=PLAIN LOGIN" is the pre-RFC 2554 syntax; treat '=' like the space.
    private static int indexOfSeparator(String line) {
        int sp = line.indexOf(' ');
        int eq = line.indexOf('=');
        if (eq >= 0 && (sp < 0 || eq < sp)) {
            return eq;
        }
        return sp;
    }

    public String serverName() {
        return serverName;
    }

    public boolean supports(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The parameters after the keyword, empty string when none, {@code null} when not advertised. */
    public String parameters(String keyword) {
        return keywords.get(keyword.toUpperCase(Locale.ROOT));
    }

    public boolean pipelining() {
        return supports("PIPELINING");
    }

    public boolean size() {
        return supports("SIZE");
    }

    /** The advertised fixed maximum message size in octets; {@code 0} when none (RFC 1870 §4). */
    public long sizeLimit() {
        String value = parameters("SIZE");
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            long limit = Long.parseLong(value.split(" ")[0]);
            return Math.max(limit, 0);
        } catch (NumberFormatException e) {
            // Unparseable limit: do not invent one, let the server judge the SIZE parameter.
            return 0;
        }
    }

    public boolean eightBitMime() {
        return supports("8BITMIME");
    }

    public boolean smtpUtf8() {
        return supports("SMTPUTF8");
    }

    public boolean startTls() {
        return supports("STARTTLS");
    }

    public boolean enhancedStatusCodes() {
        return supports("ENHANCEDSTATUSCODES");
    }

    public boolean chunking() {
        return supports("CHUNKING");
    }

    public boolean dsn() {
        return supports("DSN");
    }

    /** SASL mechanisms, upper case, in advertised order; empty when AUTH is not offered. */
    public Set<String> authMechanisms() {
        String value = parameters("AUTH");
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        Set<String> mechanisms = new LinkedHashSet<>();
        for (String mechanism : value.trim().split("\\s+")) {
            mechanisms.add(mechanism.toUpperCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(mechanisms);
    }

    /** Advertised keywords in order, upper case, with their parameters: for logs and tests. */
    @Override
    public String toString() {
        var out = new StringBuilder();
        keywords.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(v.isEmpty() ? k : k + "=" + v.replace(' ', ',')));
        return out.toString();
    }
}
