package dev.tern.ingress.session;

import dev.tern.common.policy.Policy;
import dev.tern.common.policy.UsersFile;
import dev.tern.common.queue.QueuedRecipient;
import dev.tern.ingress.metrics.IngressMetrics;
import dev.tern.ingress.queue.KafkaPublisher;
import dev.tern.smtp.address.ForwardPath;
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
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Tern's answers to the questions a {@link dev.tern.smtp.server.ServerSession} leaves open, for
 * one connection: relay control ({@link RelayControl}), SMTP AUTH against the policy's bcrypt
 * users file, and where accepted mail goes ({@link QueueingSink} → Kafka).
 *
 * <p>The policy is read per decision, so a live reload applies to the next command. bcrypt
 * checks cost tens of milliseconds of CPU each and run on {@code blocking}, never on the event
 * loop.
 */
public final class IngressSessionPolicy implements SessionPolicy {

    private final SessionFacts facts;
    private final Supplier<Policy> policy;
    private final Supplier<UsersFile> users;
    private final KafkaPublisher publisher;
    private final IngressMetrics metrics;
    private final Executor blocking;

    public IngressSessionPolicy(SessionFacts facts, Supplier<Policy> policy, Supplier<UsersFile> users,
            KafkaPublisher publisher, IngressMetrics metrics, Executor blocking) {
        this.facts = facts;
        this.policy = policy;
        this.users = users;
        this.publisher = publisher;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public CompletionStage<Reply> checkRecipient(ForwardPath recipient, RcptParameters parameters, SessionView session) {
        Reply refusal = RelayControl.check(recipient, policy.get().relay(), facts.client(),
                session.authIdentity().isPresent());
        if (refusal != null) {
            metrics.rejected("relay");
            return CompletableFuture.completedFuture(refusal);
        }
        return CompletableFuture.completedFuture(Replies.RECIPIENT_OK);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String authorizationId, String user, String password) {
        return CompletableFuture.supplyAsync(() -> {
            // An authzid different from the authcid would let one user send as another: refuse it.
            if (!authorizationId.isEmpty() && !authorizationId.equals(user)) {
                return AuthResult.invalidCredentials();
            }
            return users.get().verify(user, password) ? AuthResult.success(user) : AuthResult.invalidCredentials();
        }, blocking);
    }

    @Override
    public void commandReceived(String verb) {
        metrics.command(verb);
    }

    @Override
    public MessageSink open(Envelope envelope) {
        Policy p = policy.get();
        // Only mail leaving through us is signed: authenticated, or from a network trusted to relay.
        boolean outbound = envelope.authIdentity() != null || p.relay().isTrusted(facts.client());
        return new QueueingSink(envelope, recipients(envelope), facts, publisher, metrics, blocking,
                outbound ? p : null);
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
        var local = policy.get().relay().localDomains();
        return "postmaster@" + (local.isEmpty() ? facts.hostname() : local.stream().sorted().findFirst().get());
    }
}
