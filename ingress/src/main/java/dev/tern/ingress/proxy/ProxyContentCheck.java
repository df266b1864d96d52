package dev.tern.ingress.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Looks at a complete message before the proxy sends it upstream: the place the milters named by
 * {@code tern.ingress.proxy.milters} plug in (docs/ARCHITECTURE.md, "SMTP proxy mode").
 *
 * <p>Called on the client connection's event loop; must not block it (do the work elsewhere and
 * complete the stage from any thread). A stage that fails exceptionally is answered with
 * {@code 451 4.3.0} and the upstream transaction is reset, so a broken check never lets a message
 * through unchecked.
 */
@FunctionalInterface
public interface ProxyContentCheck {

    /** @param message the whole message, header and body, CRLF line endings, not dot-stuffed; yours to keep */
    CompletionStage<ContentVerdict> check(ProxyTransaction transaction, byte[] message);

    /** No check: every message goes upstream as received (no milters configured). */
    static ProxyContentCheck none() {
        return (transaction, message) -> CompletableFuture.completedFuture(ContentVerdict.pass(message));
    }

    /**
     * The milters {@code names} lists ({@code tern.ingress.proxy.milters}) from the policy in force,
     * or {@link #none()} when it lists none.
     *
     * @throws IllegalArgumentException naming the key when a name is not in the policy's milters list
     */
    static ProxyContentCheck milters(dev.tern.ingress.milter.MilterChain chain,
            java.util.function.Supplier<dev.tern.common.policy.Policy> policy, java.util.List<String> names) {
        return names.isEmpty() ? none() : new MilterContentCheck(chain, policy, names);
    }
}
