package dev.tern.ingress.trust.header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a raw message (RFC 5322 §2.2) as an ordered list of fields, each
 * unfolded (§2.2.3: a CRLF followed by white space is removed). Reads up to the first empty line,
 * accepting bare LF line ends as well, since what arrives over SMTP is not always canonical. Bytes
 * are read as UTF-8 (RFC 6532 allows it in headers); invalid sequences become U+FFFD, which no
 * address syntax accepts. Pure and thread-safe.
 */
public final class HeaderFields {

    /** One field: its name in lower case, and its unfolded value without the leading white space. */
    public record Field(String name, String value) {
    }

    private HeaderFields() {
    }

    /** Every field of {@code message}'s header section, top first. */
    public static List<Field> of(byte[] message) {
        String text = new String(message, 0, headerEnd(message), StandardCharsets.UTF_8);
        var fields = new ArrayList<Field>();
        StringBuilder current = null;
        for (int at = 0, lf; at <= text.length(); at = lf + 1) {
            lf = text.indexOf('\n', at);
            if (lf < 0) {
                lf = text.length();
            }
            String line = text.substring(at, lf < text.length() && lf > at && text.charAt(lf - 1) == '\r' ? lf - 1 : lf);
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
                continue;
            }
            add(fields, current);
            current = new StringBuilder(line);
        }
        add(fields, current);
        return fields;
    }

    /** The values of the fields called {@code name} (any case), top first. */
    public static List<String> values(List<Field> fields, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return fields.stream().filter(f -> f.name().equals(wanted)).map(Field::value).toList();
    }

    private static void add(List<Field> fields, StringBuilder line) {
        if (line == null) {
            return;
        }
        int colon = line.indexOf(":");
        if (colon <= 0) {
            // Not a field (no name): RFC 5322 has no place for it, so it cannot be a From or Sender.
            return;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        fields.add(new Field(name, line.substring(colon + 1).strip()));
    }

    /** The offset of the empty line ending the header section, or the message's length when none. */
    private static int headerEnd(byte[] m) {
        if (m.length > 0 && m[0] == '\n' || m.length > 1 && m[0] == '\r' && m[1] == '\n') {
            return 0;
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] != '\n') {
                continue;
            }
            if (i + 1 < m.length && m[i + 1] == '\n') {
                return i + 1;
            }
            if (i + 2 < m.length && m[i + 1] == '\r' && m[i + 2] == '\n') {
                return i + 1;
            }
        }
        return m.length;
    }
}
