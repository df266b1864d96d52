package dev.tern.ingress.trust;

import dev.tern.common.policy.Checks;
import dev.tern.ingress.authres.MethodResult;
import dev.tern.ingress.dkim.DkimResult;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.spf.SpfVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The checks that need the whole message, run after the final dot on inbound mail (not from a
 * trusted network, not authenticated): DKIM verification of every signature (RFC 6376). Their
 * results, with the SPF verdict from MAIL FROM, become the message's Authentication-Results.
 */
public final class MessageChecks {

    private final DkimVerifier dkim;
    private final IngressMetrics metrics;

    public MessageChecks(DkimVerifier dkim, IngressMetrics metrics) {
        this.dkim = dkim;
        this.metrics = metrics;
    }

    /** @param spf the verdict from MAIL FROM, or null when SPF did not run */
    public CompletionStage<MessageVerdict> check(Checks checks, byte[] message, SpfVerdict spf) {
        if (!checks.authenticates()) {
            return CompletableFuture.completedFuture(MessageVerdict.NOT_CHECKED);
        }
        CompletionStage<List<DkimResult>> signatures = checks.dkim() || checks.dmarc().enabled()
                ? dkim.verify(message) : CompletableFuture.completedFuture(List.of());
        return signatures.thenApply(dkimResults -> {
            var results = new ArrayList<MethodResult>();
            if (spf != null) {
                results.add(spf.methodResult());
            }
            if (checks.dkim()) {
                if (dkimResults.isEmpty()) {
                    results.add(new MethodResult("dkim", "none", null, List.of()));
                    metrics.authResult("dkim", "none");
                }
                for (DkimResult r : dkimResults) {
                    results.add(r.methodResult());
                    metrics.authResult("dkim", r.result().keyword());
                }
            }
            return new MessageVerdict(results, null, null);
        });
    }
}
