package dev.tern.bounce.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Just enough MIME to check a DSN from the outside: the top-level Content-Type, and the fields of
 * the {@code message/delivery-status} part (RFC 3464 §2), per-recipient groups in order.
 */
public record DsnParts(String contentType, Map<String, String> perMessage, List<Map<String, String>> perRecipient) {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";\\r\\n]+)\"?");

    public static DsnParts parse(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        String headers = unfold(text.substring(0, headerEnd));
        String contentType = field(headers, "Content-Type");
        var m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new AssertionError("no boundary in " + contentType);
        }
        String delimiter = "--" + m.group(1);
        for (String part : text.substring(headerEnd).split(Pattern.quote(delimiter))) {
            int end = part.indexOf("\r\n\r\n");
            if (end < 0) {
                continue;
            }
            String partHeaders = unfold(part.substring(0, end).strip());
            if (field(partHeaders, "Content-Type").toLowerCase(Locale.ROOT).startsWith("message/delivery-status")) {
                return fields(contentType, part.substring(end + 4));
            }
        }
        throw new AssertionError("no message/delivery-status part");
    }

    private static DsnParts fields(String contentType, String body) {
        List<Map<String, String>> groups = new ArrayList<>();
        for (String group : body.strip().split("\r\n\r\n")) {
            var fields = new LinkedHashMap<String, String>();
            for (String line : unfold(group).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            groups.add(fields);
        }
        return new DsnParts(contentType, groups.get(0), groups.subList(1, groups.size()));
    }

    private static String unfold(String s) {
        return s.replaceAll("\r\n[ \t]+", " ");
    }

    private static String field(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
