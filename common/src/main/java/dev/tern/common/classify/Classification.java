package dev.tern.common.classify;

import java.util.Objects;

/**
 * The verdict on one failure reply.
 *
 * @param category why it failed
 * @param action   what Tern does about it
 * @param rule     the name of the rule that decided ({@code bounce-rules[2]}, {@code default-bounce-rules.txt:42}), for logs
 */
public record Classification(BounceCategory category, BounceAction action, String rule) {

    public Classification {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(action, "action");
    }
}
