package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.domain;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Reads the policy's {@code feedback:} section: {@code bounce-domain} (required), {@code enabled}
 * (false: keep envelope senders as they are) and {@code prefix} ({@code bounce}; letters, digits,
 * {@code -} and {@code _}, at most 16, so a full VERP local part keeps room for the recipient).
 */
final class FeedbackParser {

    private static final Set<String> KEYS = Set.of("enabled", "bounce-domain", "prefix");

    private FeedbackParser() {
    }

    static Feedback parse(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return Feedback.NONE;
        }
        requireObject(n, "feedback", KEYS);
        String domain = domain(n.path("bounce-domain"), "feedback.bounce-domain");
        boolean enabled = false;
        if (n.hasNonNull("enabled")) {
            if (!n.get("enabled").isBoolean()) {
                throw new PolicyException("feedback.enabled", "'" + n.get("enabled").asText() + "' is not true or false");
            }
            enabled = n.get("enabled").asBoolean();
        }
        String prefix = Feedback.DEFAULT_PREFIX;
        if (n.hasNonNull("prefix")) {
            prefix = text(n.get("prefix"), "feedback.prefix");
            if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,15}")) {
                throw new PolicyException("feedback.prefix",
                        "'" + prefix + "' must be 1 to 16 letters, digits, '-' or '_'");
            }
        }
        return new Feedback(enabled, domain, prefix);
    }
}
