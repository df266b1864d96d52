package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.domain;
import static dev.tern.common.policy.PolicyNodes.list;
import static dev.tern.common.policy.PolicyNodes.optionalDuration;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the policy's {@code checks} section into {@link Checks}. A check is on when its section
 * is present ({@code dkim: {}} turns DKIM verification on with its defaults) unless it says
 * {@code enabled: false}.
 */
final class ChecksParser {

    private static final Set<String> CHECKS = Set.of("authserv-id", "quarantine-to", "spf", "sender-id", "dkim",
            "dmarc", "dnsbl", "greylisting");
    private static final Set<String> SPF = Set.of("enabled", "fail", "softfail", "temperror", "permerror");
    private static final Set<String> SENDER_ID = Set.of("enabled", "fail");
    private static final Set<String> DKIM = Set.of("enabled");
    private static final Set<String> DMARC = Set.of("enabled", "reject", "quarantine", "temperror");
    private static final Set<String> DNSBL = Set.of("enabled", "threshold", "stage", "zones");
    private static final Set<String> ZONE = Set.of("zone", "weight", "answers");
    private static final Set<String> GREYLISTING = Set.of("enabled", "delay", "retry-window", "pass-lifetime",
            "whitelist");

    private static final Set<CheckAction> REFUSE_OR_ACCEPT = EnumSet.of(CheckAction.ACCEPT, CheckAction.REJECT,
            CheckAction.DEFER);
    private static final Set<CheckAction> ANY = EnumSet.allOf(CheckAction.class);
    private static final Set<CheckAction> TEMPORARY = EnumSet.of(CheckAction.ACCEPT, CheckAction.DEFER);

    private ChecksParser() {
    }

    static Checks parse(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return Checks.NONE;
        }
        requireObject(n, "checks", CHECKS);
        String authservId = n.hasNonNull("authserv-id") ? domain(n.get("authserv-id"), "checks.authserv-id") : null;
        String quarantineTo = n.hasNonNull("quarantine-to") ? mailbox(n.get("quarantine-to"), "checks.quarantine-to")
                : null;
        var checks = new Checks(authservId, quarantineTo, spf(n.path("spf")), senderId(n.path("sender-id")),
                on(n.path("dkim"), "checks.dkim", DKIM), dmarc(n.path("dmarc")), dnsbl(n.path("dnsbl")),
                greylisting(n.path("greylisting")));
        return checks;
    }

    private static Checks.Spf spf(JsonNode n) {
        if (!on(n, "checks.spf", SPF)) {
            return Checks.Spf.OFF;
        }
        return new Checks.Spf(true, action(n, "checks.spf", "fail", CheckAction.REJECT, REFUSE_OR_ACCEPT),
                action(n, "checks.spf", "softfail", CheckAction.ACCEPT, REFUSE_OR_ACCEPT),
                action(n, "checks.spf", "temperror", CheckAction.DEFER, TEMPORARY),
                action(n, "checks.spf", "permerror", CheckAction.ACCEPT, REFUSE_OR_ACCEPT));
    }

    private static Checks.SenderId senderId(JsonNode n) {
        if (!on(n, "checks.sender-id", SENDER_ID)) {
            return Checks.SenderId.OFF;
        }
        return new Checks.SenderId(true, action(n, "checks.sender-id", "fail", CheckAction.ACCEPT, ANY));
    }

    private static Checks.Dmarc dmarc(JsonNode n) {
        if (!on(n, "checks.dmarc", DMARC)) {
            return Checks.Dmarc.OFF;
        }
        return new Checks.Dmarc(true, action(n, "checks.dmarc", "reject", CheckAction.REJECT, ANY),
                action(n, "checks.dmarc", "quarantine", CheckAction.QUARANTINE, ANY),
                action(n, "checks.dmarc", "temperror", CheckAction.ACCEPT, TEMPORARY));
    }

    private static Checks.Dnsbl dnsbl(JsonNode n) {
        if (!on(n, "checks.dnsbl", DNSBL)) {
            return Checks.Dnsbl.OFF;
        }
        double threshold = 1;
        if (n.hasNonNull("threshold")) {
            if (!n.get("threshold").isNumber()) {
                throw new PolicyException("checks.dnsbl.threshold", "'" + n.get("threshold").asText() + "' is not a number");
            }
            threshold = n.get("threshold").asDouble();
        }
        Checks.Dnsbl.Stage stage = Checks.Dnsbl.Stage.RCPT;
        if (n.hasNonNull("stage")) {
            String s = text(n.get("stage"), "checks.dnsbl.stage").toUpperCase(Locale.ROOT);
            try {
                stage = Checks.Dnsbl.Stage.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw new PolicyException("checks.dnsbl.stage", "'" + n.get("stage").asText() + "' is not one of connect, rcpt");
            }
        }
        List<Checks.Dnsbl.Zone> zones = list(n.path("zones"), "checks.dnsbl.zones", (z, key) -> {
            requireObject(z, key, ZONE);
            String zone = domain(z.path("zone"), key + ".zone");
            double weight = 1;
            if (z.hasNonNull("weight")) {
                if (!z.get("weight").isNumber()) {
                    throw new PolicyException(key + ".weight", "'" + z.get("weight").asText() + "' is not a number");
                }
                weight = z.get("weight").asDouble();
            }
            List<Cidr> answers = list(z.path("answers"), key + ".answers", ChecksParser::cidr);
            return new Checks.Dnsbl.Zone(zone, weight, answers);
        });
        if (zones.isEmpty()) {
            throw new PolicyException("checks.dnsbl.zones", "needs at least one zone");
        }
        return new Checks.Dnsbl(true, threshold, stage, zones);
    }

    private static Checks.Greylisting greylisting(JsonNode n) {
        if (!on(n, "checks.greylisting", GREYLISTING)) {
            return Checks.Greylisting.OFF;
        }
        var d = Checks.Greylisting.OFF;
        String key = "checks.greylisting";
        Duration delay = optionalDuration(n, key, "delay", d.delay());
        Duration window = optionalDuration(n, key, "retry-window", d.retryWindow());
        if (window.compareTo(delay) <= 0) {
            throw new PolicyException(key + ".retry-window", "must be longer than the delay (" + delay + ")");
        }
        Duration pass = optionalDuration(n, key, "pass-lifetime", d.passLifetime());
        var clients = new java.util.ArrayList<Cidr>();
        var domains = new HashSet<String>();
        for (String entry : list(n.path("whitelist"), key + ".whitelist", PolicyNodes::text)) {
            // An entry is a client network when it parses as one, else a sender or recipient domain.
            try {
                clients.add(Cidr.parse(entry));
            } catch (IllegalArgumentException notNetwork) {
                domains.add(domain(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(entry), key + ".whitelist"));
            }
        }
        return new Checks.Greylisting(true, delay, window, pass, clients, domains);
    }

    /** A section turns its check on by being there, unless it says {@code enabled: false}. */
    private static boolean on(JsonNode n, String key, Set<String> allowed) {
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        requireObject(n, key, allowed);
        if (!n.hasNonNull("enabled")) {
            return true;
        }
        if (!n.get("enabled").isBoolean()) {
            throw new PolicyException(key + ".enabled", "'" + n.get("enabled").asText() + "' is not true or false");
        }
        return n.get("enabled").asBoolean();
    }

    private static CheckAction action(JsonNode n, String key, String field, CheckAction fallback, Set<CheckAction> allowed) {
        if (!n.hasNonNull(field)) {
            return fallback;
        }
        String t = text(n.get(field), key + "." + field);
        for (CheckAction a : allowed) {
            if (a.name().equalsIgnoreCase(t)) {
                return a;
            }
        }
        throw new PolicyException(key + "." + field, "'" + t + "' is not one of "
                + allowed.stream().map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    private static Cidr cidr(JsonNode v, String key) {
        try {
            return Cidr.parse(text(v, key));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(key, e.getMessage());
        }
    }

    private static String mailbox(JsonNode v, String key) {
        String t = text(v, key);
        int at = t.lastIndexOf('@');
        if (at <= 0 || at == t.length() - 1 || t.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
            throw new PolicyException(key, "'" + t + "' is not a mail address");
        }
        domain(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(t.substring(at + 1)), key);
        return t;
    }
}
