package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.list;
import static dev.tern.common.policy.PolicyNodes.optionalDuration;
import static dev.tern.common.policy.PolicyNodes.positiveInt;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.common.event.DeliveryEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the policy's {@code webhooks:} list (docs/ARCHITECTURE.md, "Webhooks"). Each entry:
 * {@code name} (unique; letters, digits, '-', '_'), {@code url} (http or https), {@code secret-file}
 * (the signing key, alone in the file; relative to the policy's directory), optional {@code events}
 * (outcome names such as {@code delivered}, {@code bounced}; absent: all), {@code batch-size} (100),
 * {@code max-wait} (1s), {@code timeout} (10s), {@code backoff} (1s), {@code max-backoff} (5m) and
 * {@code start} ({@code latest}, the default, or {@code earliest}). The secret is read now, and a
 * failure names the key, never the content.
 */
final class WebhooksParser {

    private static final Set<String> KEYS = Set.of("name", "url", "secret-file", "events", "batch-size", "max-wait",
            "timeout", "backoff", "max-backoff", "start");
    private static final List<String> OUTCOMES = Arrays.stream(DeliveryEvent.Outcome.values())
            .map(o -> o.name().toLowerCase(Locale.ROOT)).toList();

    private WebhooksParser() {
    }

    static List<Webhook> parse(JsonNode n, Path baseDir) {
        var names = new HashSet<String>();
        return list(n, "webhooks", (w, key) -> {
            requireObject(w, key, KEYS);
            String name = text(w.path("name"), key + ".name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
                throw new PolicyException(key + ".name", "'" + name + "' must be letters, digits, '-' or '_' (at most 63)");
            }
            if (!names.add(name)) {
                throw new PolicyException(key + ".name", "duplicate webhook name '" + name + "'");
            }
            URI url = url(text(w.path("url"), key + ".url"), key + ".url");
            String secretName = text(w.path("secret-file"), key + ".secret-file");
            Path secretFile = baseDir == null ? Path.of(secretName) : baseDir.resolve(secretName);
            Password secret = Password.read(secretFile, key + ".secret-file");
            Set<String> outcomes = new LinkedHashSet<>(list(w.path("events"), key + ".events", (v, k) -> {
                String outcome = text(v, k).toLowerCase(Locale.ROOT);
                if (!OUTCOMES.contains(outcome)) {
                    throw new PolicyException(k, "'" + v.asText() + "' is not one of " + String.join(", ", OUTCOMES));
                }
                return outcome.toUpperCase(Locale.ROOT);
            }));
            if (w.has("events") && outcomes.isEmpty()) {
                throw new PolicyException(key + ".events", "names no outcome (leave it out to send all)");
            }
            var backoff = optionalDuration(w, key, "backoff", Webhook.DEFAULT_BACKOFF);
            var maxBackoff = optionalDuration(w, key, "max-backoff", Webhook.DEFAULT_MAX_BACKOFF);
            if (maxBackoff.compareTo(backoff) < 0) {
                throw new PolicyException(key + ".max-backoff", "is shorter than backoff (" + backoff + ")");
            }
            return new Webhook(name, url, secret, secretFile, outcomes,
                    positiveInt(w, key, "batch-size", Webhook.DEFAULT_BATCH_SIZE),
                    optionalDuration(w, key, "max-wait", Webhook.DEFAULT_MAX_WAIT),
                    optionalDuration(w, key, "timeout", Webhook.DEFAULT_TIMEOUT), backoff, maxBackoff,
                    startAtEnd(w, key));
        });
    }

    private static URI url(String text, String key) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new PolicyException(key, "'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new PolicyException(key, "'" + text + "' is not an http:// or https:// URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new PolicyException(key, "'" + text + "' has no host");
        }
        if (url.getUserInfo() != null) {
            throw new PolicyException(key, "must not carry credentials (the batches are signed with secret-file)");
        }
        return url;
    }

    private static boolean startAtEnd(JsonNode w, String key) {
        if (!w.hasNonNull("start")) {
            return true;
        }
        String start = text(w.get("start"), key + ".start");
        return switch (start) {
            case "latest" -> true;
            case "earliest" -> false;
            default -> throw new PolicyException(key + ".start", "'" + start + "' is not latest or earliest");
        };
    }
}
