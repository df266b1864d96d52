package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.domain;
import static dev.tern.common.policy.PolicyNodes.entries;
import static dev.tern.common.policy.PolicyNodes.list;
import static dev.tern.common.policy.PolicyNodes.optionalDuration;
import static dev.tern.common.policy.PolicyNodes.positiveInt;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tern.common.classify.BounceClassifier;
import dev.tern.common.dkim.DkimKey;
import dev.tern.common.queue.DurationText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the policy file (YAML). Every problem is reported as a
 * {@link PolicyException} naming the dotted key, e.g. {@code retry[2]: 'ten' is not a duration}.
 * Unknown keys are errors too: a misspelt {@code max-conections} silently doing nothing is worse
 * than a refused start. Relative {@code users-file} paths resolve against the policy's directory.
 */
public final class PolicyParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("relay", "routes", "sources", "source-pools", "destinations",
            "retry", "max-queue-lifetime", "delay-notice-after", "dkim", "checks", "milters", "webhooks",
            "feedback", "bounce-rules");
    private static final Set<String> DKIM = Set.of("selector", "key-file");
    private static final Set<String> RELAY = Set.of("local-domains", "trusted-networks", "users-file", "recipients",
            "recipient-callout");
    private static final Set<String> CALLOUT = Set.of("enabled", "cache", "negative-cache", "timeout");
    private static final Set<String> ROUTE = Set.of("match", "via", "auth-secret");
    private static final Set<String> DESTINATION = Set.of("mx-rollup", "max-connections",
            "max-messages-per-connection", "rate", "tls", "connect-timeout", "command-timeout", "data-timeout",
            "backoff", "source-ip", "source-pool", "per-source");
    private static final Set<String> SOURCE = Set.of("max-connections", "rate");

    private PolicyParser() {
    }

    public static Policy parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyException("TERN_POLICY", "cannot read " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir);
    }

    public static Policy parse(String yaml, Path baseDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new PolicyException("(file)", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyException("(file)", e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        requireObject(root, "(file)", TOP);
        Relay relay = relay(root.path("relay"), baseDir);
        List<Route> routes = routes(root.path("routes"), baseDir);
        Map<String, EgressSource> sources = sources(root.path("sources"));
        Map<String, List<EgressSource>> pools = sourcePools(root.path("source-pools"), sources);
        var destinations = destinations(root.path("destinations"), new Egress(sources, pools));
        DestinationPolicy def = destinations.remove("default");
        List<Duration> retry = root.has("retry") ? list(root.get("retry"), "retry", PolicyNodes::duration)
                : Policy.DEFAULT_RETRY;
        if (retry.isEmpty()) {
            throw new PolicyException("retry", "the retry ladder needs at least one delay");
        }
        for (int i = 1; i < retry.size(); i++) {
            if (retry.get(i).compareTo(retry.get(i - 1)) <= 0) {
                throw new PolicyException("retry[" + i + "]", "delays must grow strictly (" + retry + ")");
            }
        }
        if (new HashSet<>(retry).size() != retry.size()) {
            throw new PolicyException("retry", "duplicate delay");
        }
        Duration lifetime = optionalDuration(root, "max-queue-lifetime", Duration.ofDays(5));
        Duration delayNotice = optionalDuration(root, "delay-notice-after", Duration.ofHours(4));
        Map<String, DkimKey> dkim = dkim(root.path("dkim"), baseDir);
        return new Policy(relay, routes, def, destinations, retry, lifetime, delayNotice, dkim,
                ChecksParser.parse(root.path("checks")), MiltersParser.parse(root.path("milters")),
                WebhooksParser.parse(root.path("webhooks"), baseDir),
                FeedbackParser.parse(root.path("feedback")),
                new BounceClassifier(BounceRulesParser.parse(root.path("bounce-rules"))));
    }

    /** {@code dkim: {example.org: {selector: s1, key-file: dkim/example.org.pem}}}, keys read now. */
    private static Map<String, DkimKey> dkim(JsonNode n, Path baseDir) {
        var out = new LinkedHashMap<String, DkimKey>();
        for (var e : entries(n, "dkim")) {
            String key = "dkim." + e.getKey();
            String domain = domain(YAML.getNodeFactory().textNode(e.getKey()), key);
            requireObject(e.getValue(), key, DKIM);
            String selector = text(e.getValue().path("selector"), key + ".selector");
            if (!selector.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw new PolicyException(key + ".selector", "'" + selector + "' is not a DNS label");
            }
            String file = text(e.getValue().path("key-file"), key + ".key-file");
            Path pem = baseDir == null ? Path.of(file) : baseDir.resolve(file);
            try {
                out.put(domain, DkimKey.load(domain, selector, pem));
            } catch (IllegalArgumentException bad) {
                throw new PolicyException(key + ".key-file", bad.getMessage());
            }
        }
        return out;
    }

    private static Relay relay(JsonNode n, Path baseDir) {
        if (n.isMissingNode() || n.isNull()) {
            return Relay.NONE;
        }
        requireObject(n, "relay", RELAY);
        Set<String> local = new HashSet<>(list(n.path("local-domains"), "relay.local-domains",
                PolicyNodes::domain));
        List<Cidr> trusted = list(n.path("trusted-networks"), "relay.trusted-networks", (v, key) -> {
            try {
                return Cidr.parse(text(v, key));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(key, e.getMessage());
            }
        });
        Path users = readableFile(n, "users-file", baseDir);
        Path recipients = readableFile(n, "recipients", baseDir);
        return new Relay(local, trusted, users, recipients, callout(n.path("recipient-callout")));
    }

    private static Path readableFile(JsonNode relay, String field, Path baseDir) {
        if (!relay.hasNonNull(field)) {
            return null;
        }
        String key = "relay." + field;
        Path file = baseDir == null ? Path.of(text(relay.get(field), key)) : baseDir.resolve(text(relay.get(field), key));
        if (!Files.isReadable(file)) {
            throw new PolicyException(key, "cannot read " + file);
        }
        return file;
    }

    private static Relay.Callout callout(JsonNode n) {
        if (n.isMissingNode() || n.isNull() || (n.isBoolean() && !n.asBoolean())) {
            return Relay.Callout.OFF;
        }
        var d = Relay.Callout.OFF;
        if (n.isBoolean()) {
            return new Relay.Callout(true, d.cache(), d.negativeCache(), d.timeout());
        }
        String key = "relay.recipient-callout";
        requireObject(n, key, CALLOUT);
        if (n.hasNonNull("enabled") && !n.get("enabled").asBoolean()) {
            return Relay.Callout.OFF;
        }
        return new Relay.Callout(true, optionalDuration(n, key, "cache", d.cache()),
                optionalDuration(n, key, "negative-cache", d.negativeCache()),
                optionalDuration(n, key, "timeout", d.timeout()));
    }

    private static List<Route> routes(JsonNode n, Path baseDir) {
        return list(n, "routes", (r, key) -> {
            requireObject(r, key, ROUTE);
            String match = text(r.path("match"), key + ".match").toLowerCase(Locale.ROOT);
            if (!match.equals("*") && !match.startsWith("*.")) {
                domain(r.path("match"), key + ".match");
            }
            Transport via;
            try {
                via = Transport.parse(text(r.path("via"), key + ".via"));
            } catch (IllegalArgumentException e) {
                throw new PolicyException(key + ".via", e.getMessage());
            }
            return withAuthSecret(r, key, new Route(match, via), baseDir);
        });
    }

    /** {@code auth-secret}: the password of via's user, read now (docs/ARCHITECTURE.md, "Authenticated smarthost"). */
    private static Route withAuthSecret(JsonNode r, String key, Route route, Path baseDir) {
        Transport via = route.via();
        String secretKey = key + ".auth-secret";
        if (!r.hasNonNull("auth-secret")) {
            if (via.user() != null) {
                throw new PolicyException(secretKey, "is required: via names the user " + via.user()
                        + ", whose password this file must hold");
            }
            return route;
        }
        if (via.user() == null) {
            throw new PolicyException(secretKey, "needs a user in via, e.g. smtp://user@" + via.host() + ":587");
        }
        String name = text(r.get("auth-secret"), secretKey);
        Path file = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        return new Route(route.match(), via.withPassword(Password.read(file, secretKey)), file);
    }

    /** What {@code source-ip} and {@code source-pool} of a destination resolve against. */
    private record Egress(Map<String, EgressSource> sources, Map<String, List<EgressSource>> pools) {

        EgressSource source(String address) {
            return sources.getOrDefault(address, EgressSource.unlimited(address));
        }
    }

    private static Map<String, EgressSource> sources(JsonNode n) {
        var out = new LinkedHashMap<String, EgressSource>();
        for (var e : entries(n, "sources")) {
            String key = "sources." + e.getKey();
            String address = ipAddress(e.getKey(), key);
            JsonNode v = e.getValue();
            requireObject(v, key, SOURCE);
            int max = positiveInt(v, key, "max-connections", 0);
            Rate rate = v.hasNonNull("rate") ? rate(v.get("rate"), key + ".rate") : null;
            if (out.put(address, new EgressSource(address, max, rate)) != null) {
                throw new PolicyException(key, "the address " + address + " is listed twice");
            }
        }
        return out;
    }

    private static Map<String, List<EgressSource>> sourcePools(JsonNode n, Map<String, EgressSource> sources) {
        var out = new LinkedHashMap<String, List<EgressSource>>();
        for (var e : entries(n, "source-pools")) {
            String key = "source-pools." + e.getKey();
            List<EgressSource> pool = list(e.getValue(), key, (v, k) -> {
                String address = ipAddress(text(v, k), k);
                return sources.getOrDefault(address, EgressSource.unlimited(address));
            });
            if (pool.isEmpty()) {
                throw new PolicyException(key, "a pool needs at least one address");
            }
            if (pool.stream().map(EgressSource::address).distinct().count() != pool.size()) {
                throw new PolicyException(key, "an address is listed twice");
            }
            out.put(e.getKey(), pool);
        }
        return out;
    }

    private static String ipAddress(String text, String key) {
        if (text.contains("/")) {
            throw new PolicyException(key, "'" + text + "' is a network; give one address");
        }
        try {
            Cidr.parse(text);
            // A literal (Cidr refused names), so this resolves nothing: it only writes the address one way.
            return java.net.InetAddress.getByName(text.trim()).getHostAddress();
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw new PolicyException(key, "'" + text + "' is not an IP address");
        }
    }

    private static Map<String, DestinationPolicy> destinations(JsonNode n, Egress egress) {
        var out = new LinkedHashMap<String, DestinationPolicy>();
        DestinationPolicy base = DestinationPolicy.BUILT_IN;
        if (n.isMissingNode() || n.isNull()) {
            out.put("default", base);
            return out;
        }
        requireObject(n, "destinations", null);
        if (n.has("default")) {
            base = destination("default", n.get("default"), base, egress);
        }
        out.put("default", base);
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals("default")) {
                continue;
            }
            String name = e.getKey().toLowerCase(Locale.ROOT);
            out.put(name, destination(name, e.getValue(), base, egress));
        }
        return out;
    }

    private static DestinationPolicy destination(String name, JsonNode n, DestinationPolicy base, Egress egress) {
        String key = "destinations." + name;
        requireObject(n, key, DESTINATION);
        if (n.hasNonNull("source-ip") && n.hasNonNull("source-pool")) {
            throw new PolicyException(key + ".source-pool", "give source-ip or source-pool, not both");
        }
        List<EgressSource> sources = egress(n, key, base, egress);
        boolean perSource = base.perSource();
        if (n.has("per-source")) {
            if (!n.get("per-source").isBoolean()) {
                throw new PolicyException(key + ".per-source", "'" + n.get("per-source").asText()
                        + "' is not true or false");
            }
            perSource = n.get("per-source").booleanValue();
            if (perSource && sources.isEmpty()) {
                throw new PolicyException(key + ".per-source", "needs source-ip or source-pool: limits per egress"
                        + " address need egress addresses");
            }
        }
        return new DestinationPolicy(
                name,
                n.hasNonNull("mx-rollup") ? text(n.get("mx-rollup"), key + ".mx-rollup").toLowerCase(Locale.ROOT)
                        : name.equals("default") ? null : base.mxRollup(),
                positiveInt(n, key, "max-connections", base.maxConnections()),
                positiveInt(n, key, "max-messages-per-connection", base.maxMessagesPerConnection()),
                n.hasNonNull("rate") ? rate(n.get("rate"), key + ".rate") : base.rate(),
                n.hasNonNull("tls") ? tls(n.get("tls"), key + ".tls") : base.tls(),
                optionalDuration(n, key, "connect-timeout", base.connectTimeout()),
                optionalDuration(n, key, "command-timeout", base.commandTimeout()),
                optionalDuration(n, key, "data-timeout", base.dataTimeout()),
                optionalDuration(n, key, "backoff", base.backoff()),
                sources,
                perSource);
    }

    // Either key replaces whatever the entry inherited from default.
    private static List<EgressSource> egress(JsonNode n, String key, DestinationPolicy base, Egress egress) {
        if (n.hasNonNull("source-ip")) {
            return List.of(egress.source(ipAddress(text(n.get("source-ip"), key + ".source-ip"), key + ".source-ip")));
        }
        if (n.hasNonNull("source-pool")) {
            String pool = text(n.get("source-pool"), key + ".source-pool");
            List<EgressSource> sources = egress.pools().get(pool);
            if (sources == null) {
                throw new PolicyException(key + ".source-pool", "no pool named '" + pool + "' in source-pools (known: "
                        + String.join(", ", egress.pools().keySet()) + ")");
            }
            return sources;
        }
        return base.egress();
    }

    private static Rate rate(JsonNode n, String key) {
        try {
            return Rate.parse(text(n, key));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(key, e.getMessage());
        }
    }

    private static TlsMode tls(JsonNode n, String key) {
        String t = text(n, key).toUpperCase(Locale.ROOT);
        try {
            return TlsMode.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(key, "'" + n.asText() + "' is not one of none, opportunistic, required");
        }
    }

}
