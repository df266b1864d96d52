package dev.tern.common.policy;

import static dev.tern.common.policy.PolicyNodes.list;
import static dev.tern.common.policy.PolicyNodes.requireObject;
import static dev.tern.common.policy.PolicyNodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.common.classify.BounceAction;
import dev.tern.common.classify.BounceCategory;
import dev.tern.common.classify.BounceRule;
import java.util.List;
import java.util.Set;

/**
 * Reads the policy's {@code bounce-rules:} list (docs/ARCHITECTURE.md, "Bounce classification"),
 * the operator's rules that are tried before the shipped ones. Each entry: {@code match} (a reply
 * code like {@code 550}, an enhanced status code like {@code 5.1.1}, or a regular expression over
 * {@code "code status text"}), {@code category} (one of {@link BounceCategory}'s labels) and an
 * optional {@code action} ({@code suppress}, {@code backoff} or {@code none}; without it, the
 * category's default).
 */
final class BounceRulesParser {

    private static final Set<String> KEYS = Set.of("match", "category", "action");

    private BounceRulesParser() {
    }

    static List<BounceRule> parse(JsonNode n) {
        return list(n, "bounce-rules", (r, key) -> {
            requireObject(r, key, KEYS);
            String match = text(r.path("match"), key + ".match");
            String c = text(r.path("category"), key + ".category");
            BounceCategory category = BounceCategory.ofLabel(c).orElseThrow(() -> new PolicyException(key + ".category",
                    "'" + c + "' is not one of " + BounceCategory.labels()));
            BounceAction action = null;
            if (r.hasNonNull("action")) {
                String a = text(r.get("action"), key + ".action");
                action = BounceAction.ofLabel(a).orElseThrow(() -> new PolicyException(key + ".action",
                        "'" + a + "' is not one of suppress, backoff, none"));
            }
            try {
                return BounceRule.of(key, match, category, action);
            } catch (IllegalArgumentException e) {
                throw new PolicyException(key + ".match", e.getMessage());
            }
        });
    }
}
