package dev.tern.bounce.feedback;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Just the MIME a report reader needs (RFC 2045, RFC 2046 §5.1): one entity's header fields,
 * its media type and parameters, its body decoded from base64 or quoted-printable, the parts of a
 * multipart body, and the message inside a {@code message/rfc822} part. Reports arrive with CRLF
 * or, copied from documents, bare LF line ends; both are read. Pure and immutable.
 *
 * <p>Failure: a multipart entity without a boundary, or whose boundary never appears, is a
 * {@link UnparsableReportException}; everything else is read as leniently as real reports need.
 */
public final class MimePart {

    private final Map<String, List<String>> headers;
    private final String body;

    private MimePart(Map<String, List<String>> headers, String body) {
        this.headers = headers;
        this.body = body;
    }

    /** Reads an entity: header section, empty line, body. */
    public static MimePart parse(String text) {
        String normalized = text.replace("\r\n", "\n");
        int end;
        String head;
        String body;
        if (normalized.startsWith("\n")) {
            head = "";
            body = normalized.substring(1);
        } else if ((end = normalized.indexOf("\n\n")) >= 0) {
            head = normalized.substring(0, end);
            body = normalized.substring(end + 2);
        } else {
            head = normalized;
            body = "";
        }
        return new MimePart(fields(head), body);
    }

    public static MimePart parse(byte[] message) {
        return parse(new String(message, StandardCharsets.UTF_8));
    }

    /**
     * Unfolded header fields (RFC 5322 §2.2.3) by lower-cased name, each name's values in order.
     * Lines that are not fields are skipped.
     */
    static Map<String, List<String>> fields(String head) {
        var out = new LinkedHashMap<String, List<String>>();
        var unfolded = new ArrayList<String>();
        for (String line : head.split("\n")) {
            if (!unfolded.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                unfolded.set(unfolded.size() - 1, unfolded.get(unfolded.size() - 1) + " " + line.strip());
            } else if (!line.isBlank()) {
                unfolded.add(line);
            }
        }
        for (String field : unfolded) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                out.computeIfAbsent(field.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(field.substring(colon + 1).strip());
            }
        }
        return out;
    }

    /** The first value of a header field, compared case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header field, in order. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The media type, lower-cased, without parameters; {@code text/plain} when absent (RFC 2045 §5.2). */
    public String mediaType() {
        String ct = header("Content-Type").orElse("text/plain");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** A Content-Type parameter ({@code boundary}, {@code report-type}), unquoted; names compare case-insensitively. */
    public Optional<String> parameter(String name) {
        String ct = header("Content-Type").orElse("");
        int at = ct.indexOf(';');
        while (at >= 0 && at < ct.length()) {
            int eq = ct.indexOf('=', at);
            if (eq < 0) {
                return Optional.empty();
            }
            String key = ct.substring(at + 1, eq).strip();
            int valueEnd;
            String value;
            if (eq + 1 < ct.length() && ct.charAt(eq + 1) == '"') {
                valueEnd = ct.indexOf('"', eq + 2);
                if (valueEnd < 0) {
                    valueEnd = ct.length();
                }
                value = ct.substring(eq + 2, valueEnd);
                valueEnd = ct.indexOf(';', valueEnd);
            } else {
                valueEnd = ct.indexOf(';', eq);
                value = ct.substring(eq + 1, valueEnd < 0 ? ct.length() : valueEnd).strip();
            }
            if (key.equalsIgnoreCase(name)) {
                return Optional.of(value);
            }
            at = valueEnd;
        }
        return Optional.empty();
    }

    /** The body as text, decoded from its Content-Transfer-Encoding. */
    public String text() {
        String cte = header("Content-Transfer-Encoding").orElse("7bit").strip().toLowerCase(Locale.ROOT);
        return switch (cte) {
            case "base64" -> new String(Base64.getMimeDecoder().decode(body.replaceAll("[^A-Za-z0-9+/=]", "")),
                    StandardCharsets.UTF_8);
            case "quoted-printable" -> quotedPrintable(body);
            default -> body;
        };
    }

    /** The parts of a {@code multipart/*} body, preamble and epilogue dropped. */
    public List<MimePart> parts() {
        String boundary = parameter("boundary")
                .orElseThrow(() -> new UnparsableReportException(mediaType() + " without a boundary"));
        String delimiter = "--" + boundary;
        var parts = new ArrayList<MimePart>();
        StringBuilder current = null;
        for (String line : body.split("\n", -1)) {
            String l = line.stripTrailing();
            if (l.equals(delimiter + "--") || l.equals(delimiter)) {
                if (current != null) {
                    parts.add(parse(current.toString()));
                }
                if (l.equals(delimiter + "--")) {
                    current = null;
                    break;
                }
                current = new StringBuilder();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            parts.add(parse(current.toString())); // no closing delimiter: keep what came
        }
        if (parts.isEmpty()) {
            throw new UnparsableReportException("boundary '" + boundary + "' never appears");
        }
        return parts;
    }

    /** The message inside a {@code message/rfc822} or {@code text/rfc822-headers} part. */
    public MimePart embedded() {
        return parse(text());
    }

    private static String quotedPrintable(String s) {
        var out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i++; // soft line break
            } else if (c == '=' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
