package dev.tern.ingress.trust;

import dev.tern.common.policy.Checks;
import dev.tern.common.policy.Policy;
import dev.tern.common.policy.Relay;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.trust.dnsbl.DnsblChecker;
import dev.tern.ingress.trust.dnsbl.DnsblVerdict;
import dev.tern.ingress.trust.greylist.Greylist;
import dev.tern.ingress.trust.recipients.RecipientCheck;
import dev.tern.ingress.trust.recipients.RecipientValidator;
import dev.tern.ingress.trust.recipients.RecipientsFileWatcher;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.reply.Reply;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The RCPT checks after relay control: recipient validation for local domains (the recipients
 * file, the callout; for every client, since an unknown local recipient is refused whoever
 * sends), then, on inbound mail only (not trusted, not authenticated), the DNS block and allow
 * lists (at connect or at RCPT, as the policy says) and greylisting. One DNSBL verdict serves a
 * whole connection ({@link #dnsbl(Checks, InetAddress)} is asked once and kept by the session);
 * greylisting asks the shared store for each recipient.
 */
public final class RecipientChecks {

    private static final Logger LOG = Logger.getLogger(RecipientChecks.class);

    private final RecipientValidator validator;
    private final RecipientsFileWatcher files;
    private final DnsblChecker dnsbl;
    private final Supplier<Greylist> greylist;
    private final IngressMetrics metrics;
    private final Executor blocking;

    /**
     * @param greylist made on first use: an ingress that never greylists never connects to Infinispan for it
     * @param blocking where validation starts, since its first look at a recipients file reads the file
     */
    public RecipientChecks(RecipientValidator validator, RecipientsFileWatcher files, DnsblChecker dnsbl,
            Supplier<Greylist> greylist, IngressMetrics metrics, Executor blocking) {
        this.validator = validator;
        this.files = files;
        this.dnsbl = dnsbl;
        this.greylist = greylist;
        this.metrics = metrics;
        this.blocking = blocking;
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
     * The refusal of one recipient, or null to accept it: an unknown local recipient, a client
     * listed by the DNSBLs (RCPT stage), then greylisting of the (client, sender, recipient) triplet.
     *
     * @param inbound    whether the client is neither trusted nor authenticated
     * @param reputation the connection's DNSBL verdict (asked only on inbound mail)
     */
    public CompletionStage<Reply> check(Policy policy, boolean inbound, Supplier<CompletionStage<DnsblVerdict>> reputation,
            InetAddress client, String sender, Mailbox recipient) {
        return validate(policy, recipient).thenCompose(unknown -> {
            if (unknown != null || !inbound) {
                return CompletableFuture.completedFuture(unknown);
            }
            Checks checks = policy.checks();
            CompletionStage<Reply> listed = checks.dnsbl().enabled() && checks.dnsbl().stage() == Checks.Dnsbl.Stage.RCPT
                    ? reputation.get().thenApply(v -> listed(v, client)) : CompletableFuture.completedFuture(null);
            return listed.thenCompose(refusal -> {
                if (refusal != null || !checks.greylisting().enabled()) {
                    return CompletableFuture.completedFuture(refusal);
                }
                return greylist.get().check(client, sender, recipient.toString(), checks.greylisting()).thenApply(v -> {
                    if (v.passes()) {
                        return null;
                    }
                    metrics.refused("greylist");
                    return Reply.of(451, "4.7.1", v.replyText());
                });
            });
        });
    }

    private CompletionStage<Reply> validate(Policy policy, Mailbox recipient) {
        Relay relay = policy.relay();
        if (relay.recipientsFile() == null && !relay.recipientCallout().enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        // Only a recipients file not read yet (a reload naming a new one) needs the blocking pool.
        CompletionStage<RecipientCheck> checked = relay.recipientsFile() == null || files.loaded(relay.recipientsFile())
                ? validator.verify(recipient, policy)
                : CompletableFuture.supplyAsync(() -> validator.verify(recipient, policy), blocking)
                        .thenCompose(stage -> stage);
        return checked.thenApply(check -> {
                    if (check.refusal() != null) {
                        metrics.refused(check.refusal().code() >= 500 ? "recipient_unknown" : "recipient_unverified");
                        LOG.debugf("recipient %s refused (%s): %s", recipient, check.outcome(), check.detail());
                    }
                    return check.refusal();
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
