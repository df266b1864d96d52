package dev.tern.ingress.trust;

import dev.tern.common.policy.CheckAction;
import dev.tern.common.policy.Checks;
import dev.tern.common.policy.UsersFile;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.reply.Reply;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The MAIL FROM checks (docs/ARCHITECTURE.md, "Edge checks"): an authenticated user may only
 * use the sender addresses the users file gives it; mail from anyone else who is not on a
 * trusted network gets SPF (RFC 7208) on MAIL FROM, or on the HELO name for the null sender,
 * and the policy's action for the result.
 */
public final class SenderChecks {

    private final SpfChecker spf;
    private final IngressMetrics metrics;

    public SenderChecks(SpfChecker spf, IngressMetrics metrics) {
        this.spf = spf;
        this.metrics = metrics;
    }

    /**
     * @param sender        the MAIL FROM address, empty for the null sender
     * @param authenticated the AUTH identity, or null
     * @param trusted       whether the client is on a trusted network
     */
    public CompletionStage<SenderDecision> check(Checks checks, UsersFile users, InetAddress client, String clientText,
            String helo, String sender, String authenticated, boolean trusted) {
        if (authenticated != null) {
            var allowed = users.sendersOf(authenticated);
            if (allowed.isPresent() && !sender.isEmpty() && !allowed.get().allows(sender)) {
                metrics.refused("sender_login");
                return CompletableFuture.completedFuture(new SenderDecision(
                        CheckReplies.notOwned(sender, authenticated), null));
            }
            return CompletableFuture.completedFuture(SenderDecision.ACCEPT);
        }
        if (trusted || !checks.spf().enabled()) {
            return CompletableFuture.completedFuture(SenderDecision.ACCEPT);
        }
        return spf.checkMailFrom(client, sender, helo).thenApply(v -> decide(checks.spf(), v, clientText));
    }

    private SenderDecision decide(Checks.Spf policy, SpfVerdict v, String client) {
        metrics.authResult("spf", v.result().keyword());
        CheckAction action = switch (v.result()) {
            case FAIL -> policy.fail();
            case SOFTFAIL -> policy.softfail();
            case TEMPERROR -> policy.temperror();
            case PERMERROR -> policy.permerror();
            default -> CheckAction.ACCEPT;
        };
        Reply refusal = CheckReplies.spf(v, action, client);
        if (refusal != null) {
            metrics.refused("spf");
        }
        return new SenderDecision(refusal, v);
    }
}
