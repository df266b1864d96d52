package dev.tern.smtp.reply;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An RFC 3463 enhanced mail system status code, {@code class.subject.detail} such as {@code 5.7.1}.
 *
 * <p>The class is 2 (success), 4 (persistent transient failure) or 5 (permanent failure); subject
 * and detail are 0–999 (RFC 3463 §2). Immutable and thread-safe.
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    private static final Pattern SYNTAX = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status subject/detail out of range");
        }
    }

    /** Parses {@code "5.7.1"}; throws {@link IllegalArgumentException} on anything else. */
    public static EnhancedStatus parse(String text) {
        Objects.requireNonNull(text, "text");
        var m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an enhanced status code: " + text);
        }
        return new EnhancedStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** True when {@code text} starts with an enhanced status code followed by a space or the end. */
    public static boolean startsWithStatus(String text) {
        int sp = text.indexOf(' ');
        String head = sp < 0 ? text : text.substring(0, sp);
        return SYNTAX.matcher(head).matches();
    }

    public EnhancedStatus withClass(int newClass) {
        return new EnhancedStatus(newClass, subject, detail);
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
