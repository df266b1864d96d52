package dev.tern.ingress.trust;

import dev.tern.common.policy.CheckAction;
import dev.tern.common.policy.Checks;
import dev.tern.ingress.authres.MethodResult;
import dev.tern.ingress.dkim.DkimResult;
import dev.tern.ingress.dkim.DkimVerifier;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dmarc.DmarcChecker;
import dev.tern.ingress.trust.dmarc.DmarcPolicy;
import dev.tern.ingress.trust.dmarc.DmarcResult;
import dev.tern.ingress.trust.dmarc.DmarcVerdict;
import dev.tern.ingress.trust.dmarc.FromHeader;
import dev.tern.ingress.trust.header.HeaderFields;
import dev.tern.ingress.trust.senderid.SenderIdChecker;
import dev.tern.ingress.trust.senderid.SenderIdVerdict;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.ingress.trust.spf.SpfVerdict;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The checks that need the whole message, run after the final dot on inbound mail (not from a
 * trusted network, not authenticated): DKIM verification of every signature (RFC 6376), Sender
 * ID (RFC 4406) and DMARC (RFC 7489) over the SPF verdict from MAIL FROM and the DKIM results.
 * Their results become the message's Authentication-Results; DMARC's and Sender ID's may refuse
 * or quarantine the message, as the policy says.
 */
public final class MessageChecks {

    private final DkimVerifier dkim;
    private final SenderIdChecker senderId;
    private final DmarcChecker dmarc;
    private final IngressMetrics metrics;

    public MessageChecks(DkimVerifier dkim, SenderIdChecker senderId, DmarcChecker dmarc, IngressMetrics metrics) {
        this.dkim = dkim;
        this.senderId = senderId;
        this.dmarc = dmarc;
        this.metrics = metrics;
    }

    /** @param spf the verdict from MAIL FROM, or null when SPF did not run */
    public CompletionStage<MessageVerdict> check(Checks checks, byte[] message, SpfVerdict spf, InetAddress client,
            String helo) {
        if (!checks.authenticates()) {
            return CompletableFuture.completedFuture(MessageVerdict.NOT_CHECKED);
        }
        // The header section parsed once for Sender ID and DMARC (DKIM reads it raw, as signed).
        List<HeaderFields.Field> fields = checks.senderId().enabled() || checks.dmarc().enabled()
                ? HeaderFields.of(message) : List.of();
        CompletableFuture<List<DkimResult>> signatures = checks.dkim() || checks.dmarc().enabled()
                ? dkim.verify(message).toCompletableFuture() : CompletableFuture.completedFuture(List.of());
        CompletableFuture<SenderIdVerdict> pra = checks.senderId().enabled()
                ? senderId.check(client, fields, helo).toCompletableFuture() : CompletableFuture.completedFuture(null);
        CompletableFuture<DmarcVerdict> dmarcVerdict = checks.dmarc().enabled()
                ? signatures.thenCompose(d -> dmarc.check(FromHeader.of(fields), spf, d))
                : CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(signatures, pra, dmarcVerdict).thenApply(done -> verdict(checks, spf,
                signatures.join(), pra.join(), dmarcVerdict.join()));
    }

    private MessageVerdict verdict(Checks checks, SpfVerdict spf, List<DkimResult> signatures, SenderIdVerdict pra,
            DmarcVerdict dmarcVerdict) {
        var results = new ArrayList<MethodResult>();
        if (spf != null) {
            results.add(spf.methodResult());
        }
        if (checks.dkim()) {
            if (signatures.isEmpty()) {
                results.add(new MethodResult("dkim", "none", null, List.of(), null));
                metrics.authResult("dkim", "none");
            }
            for (DkimResult r : signatures) {
                results.add(r.methodResult());
                metrics.authResult("dkim", r.result().keyword());
            }
        }
        Outcome outcome = Outcome.ACCEPT;
        if (pra != null) {
            results.add(pra.methodResult());
            metrics.authResult("sender-id", pra.result().keyword());
            if (pra.result() == SpfResult.FAIL) {
                outcome = Outcome.of(checks.senderId().fail(), "sender_id",
                        "Sender ID fail for " + pra.pra(), "sender-id=fail pra=" + pra.pra());
            }
        }
        if (dmarcVerdict != null) {
            results.add(dmarcVerdict.methodResult());
            metrics.authResult("dmarc", dmarcVerdict.result().keyword());
            Outcome fromDmarc = dmarcOutcome(checks.dmarc(), dmarcVerdict);
            if (fromDmarc.action.ordinal() > outcome.action.ordinal()) {
                outcome = fromDmarc;
            }
        }
        if (outcome.action == CheckAction.REJECT || outcome.action == CheckAction.DEFER) {
            metrics.refused(outcome.reason);
            return new MessageVerdict(results, CheckReplies.afterData(outcome.action, outcome.text), null);
        }
        if (outcome.action == CheckAction.QUARANTINE) {
            metrics.refused(outcome.reason);
            return new MessageVerdict(results, null, outcome.mark);
        }
        return new MessageVerdict(results, null, null);
    }

    private static Outcome dmarcOutcome(Checks.Dmarc policy, DmarcVerdict v) {
        String mark = "dmarc=" + v.result().keyword() + (v.policy() == null ? ""
                : " (p=" + v.policy().keyword() + " dis=" + v.disposition().keyword() + ")")
                + (v.fromDomain() == null ? "" : " header.from=" + v.fromDomain());
        if (v.result() == DmarcResult.TEMPERROR) {
            return Outcome.of(policy.temperror(), "dmarc", "DMARC record of " + v.fromDomain()
                    + " temporarily unavailable, try again later", mark);
        }
        if (v.result() != DmarcResult.FAIL || v.disposition() == DmarcPolicy.NONE) {
            return Outcome.ACCEPT;
        }
        CheckAction action = v.disposition() == DmarcPolicy.REJECT ? policy.onReject() : policy.onQuarantine();
        return Outcome.of(action, "dmarc", "Email rejected per DMARC policy for " + v.policyDomain(), mark);
    }

    /** What one check asks for: the action, the metric reason, the reply text and the quarantine mark. */
    private record Outcome(CheckAction action, String reason, String text, String mark) {
        static final Outcome ACCEPT = new Outcome(CheckAction.ACCEPT, null, null, null);

        static Outcome of(CheckAction action, String reason, String text, String mark) {
            return action == CheckAction.ACCEPT ? ACCEPT : new Outcome(action, reason, text, mark);
        }
    }
}
