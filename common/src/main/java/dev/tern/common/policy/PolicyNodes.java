package dev.tern.common.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.common.queue.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of policy YAML nodes, shared by {@link PolicyParser} and {@link ChecksParser}: each
 * failure is a {@link PolicyException} naming the dotted key it was read at.
 */
final class PolicyNodes {

    private PolicyNodes() {
    }

    /** The entries of the optional map {@code n} (at {@code key}) in file order; none when it is absent. */
    static List<Map.Entry<String, JsonNode>> entries(JsonNode n, String key) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        requireObject(n, key, null);
        var out = new ArrayList<Map.Entry<String, JsonNode>>();
        n.fields().forEachRemaining(out::add);
        return out;
    }

    static int positiveInt(JsonNode n, String key, String field, int fallback) {
        if (!n.hasNonNull(field)) {
            return fallback;
        }
        JsonNode v = n.get(field);
        if (!v.isInt() || v.asInt() <= 0) {
            throw new PolicyException(key + "." + field, "'" + v.asText() + "' is not a positive whole number");
        }
        return v.asInt();
    }

    static Duration optionalDuration(JsonNode n, String field, Duration fallback) {
        return n.hasNonNull(field) ? duration(n.get(field), field) : fallback;
    }

    static Duration optionalDuration(JsonNode n, String key, String field, Duration fallback) {
        return n.hasNonNull(field) ? duration(n.get(field), key + "." + field) : fallback;
    }

    static Duration duration(JsonNode n, String key) {
        try {
            Duration d = DurationText.parse(text(n, key));
            if (d.isZero()) {
                throw new PolicyException(key, "must be longer than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new PolicyException(key, e.getMessage());
        }
    }

    static String domain(JsonNode n, String key) {
        String d = text(n, key).toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*") || d.length() > 253) {
            throw new PolicyException(key, "'" + n.asText() + "' is not a domain name");
        }
        return d;
    }

    static String text(JsonNode n, String key) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new PolicyException(key, "is required");
        }
        if (!n.isValueNode()) {
            throw new PolicyException(key, "must be a single value, not a list or map");
        }
        return n.asText();
    }

    static void requireObject(JsonNode n, String key, Set<String> allowed) {
        if (!n.isObject()) {
            throw new PolicyException(key, "must be a map of keys");
        }
        if (allowed != null) {
            Iterator<String> names = n.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    String where = key.equals("(file)") ? name : key + "." + name;
                    throw new PolicyException(where, "unknown key (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }
    }

    interface Item<T> {
        T read(JsonNode value, String key);
    }

    static <T> List<T> list(JsonNode n, String key, Item<T> item) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new PolicyException(key, "must be a list");
        }
        var out = new ArrayList<T>();
        for (int i = 0; i < n.size(); i++) {
            out.add(item.read(n.get(i), key + "[" + i + "]"));
        }
        return out;
    }
}
