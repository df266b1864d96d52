package dev.tern.smtp.dsn;

import java.nio.charset.StandardCharsets;

/**
 * Folds header fields (RFC 5322 §2.2.3) so that lines stay under 78 characters where the value has
 * spaces to break at, and never exceed 998 octets (§2.1.1) even when it does not.
 *
 * <p>Folding inserts CRLF before an existing space, which unfolding removes again. A single word too
 * long for 998 octets is split hard; unfolding then shows a space inside it, the lesser evil compared
 * with a line the next MTA may reject or truncate. Output lines end with CRLF. Stateless.
 */
final class HeaderFolding {

    static final int SOFT_LIMIT = 78;
    static final int HARD_LIMIT = 998;

    private HeaderFolding() {
    }

    /** {@code name: value} folded, CRLF-terminated. */
    static String field(String name, String value) {
        var out = new StringBuilder();
        var line = new StringBuilder(name).append(':');
        String[] words = value.split(" ", -1);
        for (String word : words) {
            String piece = " " + word;
            if (!word.isEmpty() && octets(line) + octets(piece) > SOFT_LIMIT && line.toString().trim().length() > name.length() + 1) {
                out.append(line).append("\r\n");
                line.setLength(0);
            }
            line.append(piece);
            while (octets(line) > HARD_LIMIT) {
                int cut = cutPoint(line, HARD_LIMIT);
                out.append(line, 0, cut).append("\r\n");
                String rest = line.substring(cut);
                line.setLength(0);
                line.append(' ').append(rest);
            }
        }
        return out.append(line).append("\r\n").toString();
    }

    private static int octets(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    // Largest char index whose prefix fits in maxOctets, never splitting a surrogate pair.
    private static int cutPoint(CharSequence s, int maxOctets) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = Character.codePointAt(s, i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxOctets) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return i;
    }
}
