package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.list;
import static dev.tern.common.policy.PolicyNodes.optionalDuration;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the policy's {@code milters:} list. Each entry: {@code name} (unique), {@code address}
 * ({@code inet:host:port}, {@code inet6:[::1]:port} or {@code inet6:::1:port}), {@code on-error}
 * (tempfail, the default, accept or reject), {@code timeout} (30s), {@code listeners} (all three
 * by default), {@code skip-trusted} and {@code skip-authenticated} (both true by default) and an
 * optional {@code quarantine-score}.
 */
final class MiltersParser {

    private static final Set<String> KEYS = Set.of("name", "address", "on-error", "timeout", "listeners",
            "skip-trusted", "skip-authenticated", "quarantine-score");

    private MiltersParser() {
    }

    static List<Milter> parse(JsonNode n) {
        var names = new HashSet<String>();
        return list(n, "milters", (m, key) -> {
            requireObject(m, key, KEYS);
            String name = text(m.path("name"), key + ".name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new PolicyException(key + ".name", "'" + name + "' must be letters, digits, '-' or '_'");
            }
            if (!names.add(name)) {
                throw new PolicyException(key + ".name", "duplicate milter name '" + name + "'");
            }
            String address = text(m.path("address"), key + ".address");
            String[] hostPort = address(address, key + ".address");
            int port = Integer.parseInt(hostPort[1]);
            Milter.OnError onError = Milter.OnError.TEMPFAIL;
            if (m.hasNonNull("on-error")) {
                String v = text(m.get("on-error"), key + ".on-error");
                try {
                    onError = Milter.OnError.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new PolicyException(key + ".on-error", "'" + v + "' is not one of tempfail, accept, reject");
                }
            }
            Set<String> listeners = m.has("listeners") ? new LinkedHashSet<>(list(m.get("listeners"),
                    key + ".listeners", (v, k) -> {
                        String l = text(v, k);
                        if (!Milter.LISTENERS.contains(l)) {
                            throw new PolicyException(k, "'" + l + "' is not one of smtp, submission, smtps");
                        }
                        return l;
                    })) : Milter.LISTENERS;
            Double score = null;
            if (m.hasNonNull("quarantine-score")) {
                JsonNode s = m.get("quarantine-score");
                if (!s.isNumber()) {
                    throw new PolicyException(key + ".quarantine-score", "'" + s.asText() + "' is not a number");
                }
                score = s.asDouble();
            }
            return new Milter(name, hostPort[0], port, onError,
                    optionalDuration(m, key, "timeout", Milter.DEFAULT_TIMEOUT), listeners,
                    bool(m, key, "skip-trusted"), bool(m, key, "skip-authenticated"), score);
        });
    }

    private static boolean bool(JsonNode m, String key, String field) {
        if (!m.hasNonNull(field)) {
            return true;
        }
        if (!m.get(field).isBoolean()) {
            throw new PolicyException(key + "." + field, "'" + m.get(field).asText() + "' is not true or false");
        }
        return m.get(field).asBoolean();
    }

    /** {@code inet:host:port} or {@code inet6:host:port} (the v6 host bracketed or not) as {host, port}. */
    private static String[] address(String address, String key) {
        String rest;
        if (address.startsWith("inet:")) {
            rest = address.substring(5);
        } else if (address.startsWith("inet6:")) {
            rest = address.substring(6);
        } else {
            throw new PolicyException(key, "'" + address + "' is not inet:host:port or inet6:host:port");
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            throw new PolicyException(key, "'" + address + "' lacks host or port (inet:host:port)");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = rest.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new PolicyException(key, "'" + address + "': '" + port + "' is not a port");
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:-]+")) {
            throw new PolicyException(key, "'" + address + "': '" + host + "' is not a host");
        }
        return new String[] {host, port};
    }
}
