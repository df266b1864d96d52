package dev.tern.ingress.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DKIM tag list (RFC 6376 §3.2): {@code tag=value} pairs separated by semicolons, with folding
 * white space allowed around names, values and separators. Used for both {@code DKIM-Signature}
 * values and key records. Each tag keeps where its value sits in the raw text, so the verifier
 * can blank the {@code b=} value exactly as it was sent.
 */
final class DkimTagList {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /**
     * @param name       the tag name (case-sensitive, as the RFC wants)
     * @param value      the value with surrounding white space removed
     * @param valueStart offset in the raw text just after the {@code =}
     * @param valueEnd   offset of the terminating {@code ;} or the end of the text
     */
    record Tag(String name, String value, int valueStart, int valueEnd) {
    }

    private final List<Tag> tags;

    private DkimTagList(List<Tag> tags) {
        this.tags = tags;
    }

    /**
     * Parses {@code raw}.
     *
     * @throws DkimPermanentError for a tag without {@code =}, a bad tag name or a duplicate tag
     */
    static DkimTagList parse(String raw) {
        List<Tag> tags = new ArrayList<>();
        int at = 0;
        while (at <= raw.length()) {
            int semi = raw.indexOf(';', at);
            int end = semi < 0 ? raw.length() : semi;
            String spec = raw.substring(at, end);
            if (!spec.isBlank()) {
                int eq = spec.indexOf('=');
                if (eq < 0) {
                    throw new DkimPermanentError("tag without '=': " + spec.strip());
                }
                String name = stripFws(spec.substring(0, eq));
                if (!NAME.matcher(name).matches()) {
                    throw new DkimPermanentError("bad tag name '" + name + "'");
                }
                for (Tag t : tags) {
                    if (t.name().equals(name)) {
                        throw new DkimPermanentError("duplicate tag " + name + "=");
                    }
                }
                tags.add(new Tag(name, stripFws(spec.substring(eq + 1)), at + eq + 1, end));
            }
            if (semi < 0) {
                break;
            }
            at = semi + 1;
        }
        return new DkimTagList(tags);
    }

    List<Tag> tags() {
        return tags;
    }

    Optional<Tag> tag(String name) {
        for (Tag t : tags) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    Optional<String> value(String name) {
        return tag(name).map(Tag::value);
    }

    String required(String name) {
        return value(name).orElseThrow(() -> new DkimPermanentError("missing required tag " + name + "="));
    }

    /** A base64 value with all folding white space removed (§3.5: FWS may appear anywhere in it). */
    static byte[] base64(String name, String value) {
        try {
            return Base64.getDecoder().decode(removeFws(value));
        } catch (IllegalArgumentException e) {
            throw new DkimPermanentError(name + "= is not valid base64");
        }
    }

    /** {@code s} without leading and trailing folding white space. */
    static String stripFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) {
            start++;
        }
        while (end > start && isFws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code s} with every folding white space character removed (no regex: this runs per message). */
    static String removeFws(String s) {
        int first = 0;
        while (first < s.length() && !isFws(s.charAt(first))) {
            first++;
        }
        if (first == s.length()) {
            return s;
        }
        var out = new StringBuilder(s.length()).append(s, 0, first);
        for (int i = first + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isFws(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
