package dev.tern.ingress.trust;

import dev.tern.common.policy.Checks;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dnsbl.DnsblChecker;
import dev.tern.ingress.trust.dnsbl.DnsblVerdict;
import dev.tern.ingress.trust.greylist.Greylist;
import dev.tern.smtp.reply.Reply;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The connection-reputation checks on inbound mail (not trusted, not authenticated): the
 * DNS block and allow lists, at connect or at RCPT as the policy says, and greylisting at RCPT.
 * One DNSBL verdict serves a whole connection ({@link #dnsbl(Checks, InetAddress)} is asked once
 * and kept by the session); greylisting asks the shared store for each recipient.
 */
public final class RecipientChecks {

    private final DnsblChecker dnsbl;
    private final Supplier<Greylist> greylist;
    private final IngressMetrics metrics;

    /** @param greylist made on first use: an ingress that never greylists never connects to Infinispan for it */
    public RecipientChecks(DnsblChecker dnsbl, Supplier<Greylist> greylist, IngressMetrics metrics) {
        this.dnsbl = dnsbl;
        this.greylist = greylist;
        this.metrics = metrics;
    }

    /** The DNSBL verdict on the client, or {@link DnsblVerdict#NOT_CHECKED} when the lists are off. */
    public CompletionStage<DnsblVerdict> dnsbl(Checks checks, InetAddress client) {
        if (!checks.dnsbl().enabled()) {
            return CompletableFuture.completedFuture(DnsblVerdict.NOT_CHECKED);
        }
        return dnsbl.check(client, checks.dnsbl());
    }

    /** The greeting that refuses a listed client, or null to greet it (connect stage only). */
    public Reply refusalAtConnect(Checks checks, DnsblVerdict verdict, InetAddress client) {
        if (checks.dnsbl().stage() != Checks.Dnsbl.Stage.CONNECT) {
            return null;
        }
        return listed(verdict, client);
    }

    /**
     * The refusal of one recipient, or null to accept it: a client listed by the DNSBLs (RCPT
     * stage), then greylisting of the (client, sender, recipient) triplet.
     */
    public CompletionStage<Reply> check(Checks checks, CompletionStage<DnsblVerdict> reputation, InetAddress client,
            String sender, String recipient) {
        CompletionStage<Reply> listed = checks.dnsbl().stage() == Checks.Dnsbl.Stage.RCPT
                ? reputation.thenApply(v -> listed(v, client)) : CompletableFuture.completedFuture(null);
        return listed.thenCompose(refusal -> {
            if (refusal != null || !checks.greylisting().enabled()) {
                return CompletableFuture.completedFuture(refusal);
            }
            return greylist.get().check(client, sender, recipient, checks.greylisting()).thenApply(v -> {
                if (v.passes()) {
                    return null;
                }
                metrics.refused("greylist");
                return Reply.of(451, "4.7.1", v.replyText());
            });
        });
    }

    private Reply listed(DnsblVerdict verdict, InetAddress client) {
        if (!verdict.listed()) {
            return null;
        }
        metrics.refused("dnsbl");
        return Reply.of(554, "5.7.1", verdict.replyText(client));
    }
}
