package dev.tern.bounce.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a {@code message/delivery-status} or {@code message/feedback-report} part: header-like
 * fields in groups separated by empty lines (RFC 3464 §2.1, RFC 5965 §3.1). Pure helpers.
 */
final class ReportFields {

    private ReportFields() {
    }

    /** The groups in order, each as lower-cased field name → values. */
    static List<Map<String, List<String>>> groups(String text) {
        var out = new ArrayList<Map<String, List<String>>>();
        for (String group : text.replace("\r\n", "\n").split("\n(?:[ \t]*\n)+")) {
            if (!group.isBlank()) {
                var fields = MimePart.fields(group.strip());
                if (!fields.isEmpty()) {
                    out.add(fields);
                }
            }
        }
        return out;
    }

    static Optional<String> first(Map<String, List<String>> group, String name) {
        List<String> values = group.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Drops RFC 5322 comments, {@code 5.0.0 (permanent failure)} → {@code 5.0.0}. */
    static String withoutComments(String value) {
        return value.replaceAll("\\([^)]*\\)", "").strip();
    }

    /**
     * The address of a typed address field, {@code rfc822; <bob@example.com>} → {@code bob@example.com}
     * (RFC 3464 §2.3.1: address-type ";" generic-address); an untyped value is taken as it is.
     */
    static String address(String value) {
        String v = value;
        int semi = v.indexOf(';');
        if (semi >= 0 && v.substring(0, semi).strip().matches("[A-Za-z0-9-]+")) {
            v = v.substring(semi + 1);
        }
        v = withoutComments(v);
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            v = v.substring(lt + 1, gt);
        }
        return v.strip();
    }
}
