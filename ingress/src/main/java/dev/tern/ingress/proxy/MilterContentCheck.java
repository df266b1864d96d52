package dev.tern.ingress.proxy;

import dev.tern.common.policy.Milter;
import dev.tern.common.policy.Policy;
import dev.tern.ingress.milter.MilterChain;
import dev.tern.ingress.milter.MilterOutcome;
import dev.tern.ingress.session.MilterRequests;
import dev.tern.ingress.session.QueueIds;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.AcceptedRecipient;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The proxy listener's content check: the milters {@code tern.ingress.proxy.milters} names, taken
 * from the policy in force at each message (docs/ARCHITECTURE.md, "SMTP proxy mode"), run over the
 * message before it goes upstream, as the normal listener runs its milters before queueing.
 *
 * <p>The proxy keeps nothing, so what would hold or drop mail elsewhere refuses it here: a
 * milter's quarantine or discard becomes {@code 550 5.7.1} naming the decision, never a 250 for
 * mail the upstream did not get. Recipient changes cannot apply (the upstream accepted the
 * recipients before the message existed) and are logged; header and body changes go upstream.
 */
final class MilterContentCheck implements ProxyContentCheck {

    private static final Logger LOG = Logger.getLogger(MilterContentCheck.class);

    private final MilterChain chain;
    private final Supplier<Policy> policy;
    private final List<String> names;

    /**
     * @throws IllegalArgumentException naming {@code tern.ingress.proxy.milters} when a name is not in
     *                                  the policy's {@code milters} list
     */
    MilterContentCheck(MilterChain chain, Supplier<Policy> policy, List<String> names) {
        this.chain = chain;
        this.policy = policy;
        this.names = List.copyOf(names);
        List<String> known = policy.get().milters().stream().map(Milter::name).toList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("tern.ingress.proxy.milters: '" + name
                        + "' is not in the policy's milters list " + known);
            }
        }
    }

    @Override
    public CompletionStage<ContentVerdict> check(ProxyTransaction transaction, byte[] message) {
        // By name from the policy in force, in the proxy's order; a milter removed by a reload is skipped (logged).
        List<Milter> current = policy.get().milters();
        List<Milter> milters = names.stream()
                .map(n -> current.stream().filter(m -> m.name().equals(n)).findFirst().orElseGet(() -> {
                    LOG.warnf("proxy milter %s is no longer in the policy's milters list; skipped", n);
                    return null;
                }))
                .filter(m -> m != null).toList();
        String id = QueueIds.next();
        List<String> recipients = transaction.envelope().recipients().stream().map(AcceptedRecipient::path)
                .map(p -> p.mailbox().map(Object::toString).orElse("postmaster")).toList();
        return chain.check(milters, MilterRequests.forAddresses(transaction.envelope(), transaction.client(),
                recipients, message, id)).thenApply(outcome -> verdict(id, recipients, outcome));
    }

    private static ContentVerdict verdict(String id, List<String> recipients, MilterOutcome o) {
        return switch (o.action()) {
            case DELIVER -> {
                if (!o.recipients().equals(recipients)) {
                    LOG.infof("%s: milter %s changed the recipients; the proxy cannot, the upstream has them",
                            id, o.decidedBy());
                }
                yield new ContentVerdict.Pass(o.message());
            }
            case REJECT -> new ContentVerdict.Block(o.reply());
            case TEMPFAIL -> new ContentVerdict.Tempfail(o.reply());
            case QUARANTINE -> new ContentVerdict.Block(Reply.of(550, "5.7.1",
                    "Message held as suspicious by the content filter (" + o.quarantineReason() + ")"));
            case DISCARD -> new ContentVerdict.Block(Reply.of(550, "5.7.1",
                    "Message discarded by the content filter " + o.decidedBy()));
        };
    }
}
