package dev.tern.ingress.trust;

import dev.tern.common.policy.CheckAction;
import dev.tern.common.policy.Checks;
import dev.tern.common.policy.UsersFile;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.header.HeaderFields;
import dev.tern.ingress.trust.header.Mailboxes;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.reply.Reply;
import java.net.InetAddress;
import java.util.List;
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
        // DMARC needs the SPF verdict even when SPF alone decides nothing.
        if (trusted || !(checks.spf().enabled() || checks.dmarc().enabled())) {
            return CompletableFuture.completedFuture(SenderDecision.ACCEPT);
        }
        return spf.checkMailFrom(client, sender, helo).thenApply(v -> decide(checks.spf(), v, clientText));
    }

    /**
     * The From header of a message an authenticated user submits: every address in it must be
     * one the user may send as (RFC 5322 §3.6.2; several authors are allowed, each is checked).
     * Null when allowed, or when the users file sets no limit for the user.
     */
    public Reply checkFromHeader(UsersFile users, String authenticated, byte[] message) {
        var allowed = users.sendersOf(authenticated);
        if (allowed.isEmpty()) {
            return null;
        }
        for (String value : HeaderFields.values(HeaderFields.of(message), "from")) {
            List<Mailboxes.Mailbox> authors;
            try {
                authors = Mailboxes.parse(value);
            } catch (IllegalArgumentException e) {
                metrics.refused("sender_login");
                return Reply.of(553, "5.7.1", "From header not readable, so not shown to be owned by user "
                        + authenticated);
            }
            for (Mailboxes.Mailbox author : authors) {
                if (!allowed.get().allows(author.address())) {
                    metrics.refused("sender_login");
                    return CheckReplies.notOwned(author.address(), authenticated);
                }
            }
        }
        return null;
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
        Reply refusal = policy.enabled() ? CheckReplies.spf(v, action, client) : null;
        if (refusal != null) {
            metrics.refused("spf");
        }
        return new SenderDecision(refusal, v);
    }
}
