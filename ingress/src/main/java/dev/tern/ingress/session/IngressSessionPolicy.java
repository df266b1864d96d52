package dev.tern.ingress.session;

import dev.tern.common.policy.Policy;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.ingress.trust.dnsbl.DnsblVerdict;
import dev.tern.ingress.trust.spf.SpfVerdict;
import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.server.AuthResult;
import dev.tern.smtp.server.Envelope;
import dev.tern.smtp.server.MessageSink;
import dev.tern.smtp.server.Replies;
import dev.tern.smtp.server.SessionPolicy;
import dev.tern.smtp.server.SessionView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Tern's answers to the questions a {@link dev.tern.smtp.server.ServerSession} leaves open, for
 * one connection: the sender checks (the users file's sender lists, SPF), relay control
 * ({@link RelayControl}; the bounce domain, {@link BounceDomain}), SMTP AUTH against the policy's bcrypt users file, and where accepted mail
 * goes ({@link QueueingSink}: the message checks, then Kafka).
 *
 * <p>The policy is read per decision, so a live reload applies to the next command. bcrypt
 * checks cost tens of milliseconds of CPU each and run on {@code blocking}, never on the event
 * loop.
 */
public final class IngressSessionPolicy implements SessionPolicy {

    private final SessionFacts facts;
    private final IngressServices services;
    /** The current transaction's SPF verdict (null when SPF did not run); MAIL FROM starts a transaction. */
    private volatile SpfVerdict spf;
    private CompletionStage<DnsblVerdict> reputation;

    public IngressSessionPolicy(SessionFacts facts, IngressServices services) {
        this.facts = facts;
        this.services = services;
    }

    @Override
    public CompletionStage<Reply> checkSender(ReversePath sender, MailParameters parameters, SessionView session) {
        spf = null;
        Policy p = services.policy().get();
        String from = sender.mailbox().map(Object::toString).orElse("");
        return services.checks().sender().check(p.checks(), services.users().get(), facts.client(),
                        facts.clientAddress(), session.heloName().orElse(""), from,
                        session.authIdentity().orElse(null), p.relay().isTrusted(facts.client()))
                .thenApply(decision -> {
                    spf = decision.spf();
                    return decision.refusal() != null ? decision.refusal() : Replies.SENDER_OK;
                });
    }

    @Override
    public CompletionStage<Reply> checkRecipient(ForwardPath recipient, RcptParameters parameters, SessionView session) {
        Policy p = services.policy().get();
        Reply bounceDomain = BounceDomain.check(recipient, session.recipients(), p.feedback());
        if (bounceDomain != null) {
            return CompletableFuture.completedFuture(bounceDomain);
        }
        boolean authenticated = session.authIdentity().isPresent();
        Reply refusal = RelayControl.check(recipient, p.relay(), facts.client(), authenticated);
        if (refusal != null) {
            services.metrics().rejected("relay");
            return CompletableFuture.completedFuture(refusal);
        }
        if (recipient.isBarePostmaster()) {
            return CompletableFuture.completedFuture(Replies.RECIPIENT_OK);
        }
        boolean inbound = !authenticated && !p.relay().isTrusted(facts.client());
        String sender = session.sender().flatMap(ReversePath::mailbox).map(Object::toString).orElse("");
        return services.checks().recipient().check(p, inbound, this::reputation, facts.client(), sender,
                        recipient.mailbox().orElseThrow())
                .thenApply(r -> r != null ? r : Replies.RECIPIENT_OK);
    }

    /**
     * The connection's DNSBL verdict: asked at the greeting (connect stage) or at the first RCPT,
     * then kept, so a session with many recipients costs one round of lookups.
     */
    public synchronized CompletionStage<DnsblVerdict> reputation() {
        if (reputation == null) {
            reputation = services.checks().recipient().dnsbl(services.policy().get().checks(), facts.client());
        }
        return reputation;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String authorizationId, String user, String password) {
        return CompletableFuture.supplyAsync(() -> {
            // An authzid different from the authcid would let one user send as another: refuse it.
            if (!authorizationId.isEmpty() && !authorizationId.equals(user)) {
                return AuthResult.invalidCredentials();
            }
            return services.users().get().verify(user, password) ? AuthResult.success(user)
                    : AuthResult.invalidCredentials();
        }, services.blocking());
    }

    @Override
    public void commandReceived(String verb) {
        services.metrics().command(verb);
    }

    @Override
    public MessageSink open(Envelope envelope) {
        Policy p = services.policy().get();
        // Mail leaving through us (authenticated, or from a network trusted to relay) is signed;
        // everything else is inbound and gets the edge checks.
        boolean outbound = envelope.authIdentity() != null || p.relay().isTrusted(facts.client());
        if (BounceDomain.isFeedback(envelope.recipients(), p.feedback())) {
            return new QueueingSink(envelope, recipients(envelope), facts, services, p, QueueingSink.Kind.FEEDBACK, null);
        }
        return new QueueingSink(envelope, recipients(envelope), facts, services, p,
                outbound ? QueueingSink.Kind.OUTBOUND : QueueingSink.Kind.INBOUND, outbound ? null : spf);
    }

    private List<QueuedRecipient> recipients(Envelope envelope) {
        var out = new ArrayList<QueuedRecipient>(envelope.recipients().size());
        for (var r : envelope.recipients()) {
            String address = r.path().mailbox().map(Object::toString).orElseGet(this::postmaster);
            out.add(new QueuedRecipient(address, r.parameters().notifyOn(), r.parameters().orcpt(), null, null));
        }
        return out;
    }

    /** {@code <Postmaster>} without a domain means this system's postmaster (RFC 5321 §4.5.1). */
    private String postmaster() {
        var local = services.policy().get().relay().localDomains();
        return "postmaster@" + (local.isEmpty() ? facts.hostname() : local.stream().sorted().findFirst().get());
    }
}
