package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * One client AUTH exchange without I/O (RFC 4954 §4): the command, the answers to the server's
 * {@code 334} challenges, and the verdict of its final reply.
 *
 * <p>Mechanisms: PLAIN (RFC 4616), sent with its initial response in the AUTH command, is preferred;
 * LOGIN (the de-facto mechanism of draft-murchison-sasl-login, still the only one some relays offer)
 * answers the "Username:" and "Password:" prompts in turn, without an initial response, which every
 * LOGIN server accepts. Other mechanisms are never chosen.
 *
 * <p>Verdicts: {@code 235} succeeds; a 5xx (typically {@code 535 5.7.8}) is a rejected credential,
 * reported as {@link LocalReplies#authRejected}, transient, because the operator can fix it; a 4xx
 * (e.g. {@code 454 4.7.0}) is passed on as it is; a challenge the mechanism has no answer for is a
 * protocol error. Not thread-safe: one exchange per connection, on its thread.
 */
public final class ClientAuth {

    /** The SASL mechanisms this client speaks, in order of preference. */
    public enum Mechanism { PLAIN, LOGIN }

    /** What the exchange needs next. */
    public sealed interface Step {

        /** Write these bytes and pass on the next reply. */
        record Send(byte[] bytes) implements Step {
        }

        /** Authenticated: the session may go on. */
        record Succeeded() implements Step {
        }

        /** Not authenticated; {@code reason} applies to the mail waiting for this connection. */
        record Failed(Reply reason) implements Step {
        }
    }

    private final Mechanism mechanism;
    private final ClientCredentials credentials;
    private int responsesSent;
    private boolean started;

    public ClientAuth(Mechanism mechanism, ClientCredentials credentials) {
        this.mechanism = mechanism;
        this.credentials = credentials;
    }

    /** PLAIN when the server offers it, else LOGIN, else none (names as EHLO's AUTH line lists them). */
    public static Optional<Mechanism> choose(Set<String> advertised) {
        for (Mechanism m : Mechanism.values()) {
            if (advertised.contains(m.name())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public Mechanism mechanism() {
        return mechanism;
    }

    /** The AUTH command. */
    public byte[] start() {
        if (started) {
            throw new IllegalStateException("AUTH already started");
        }
        started = true;
        return switch (mechanism) {
            case PLAIN -> SmtpCommands.authPlain(credentials.username(), credentials.password());
            case LOGIN -> SmtpCommands.authLogin();
        };
    }

    /** The server's reply to the AUTH command or to our last response. */
    public Step onReply(Reply reply) {
        if (!started) {
            throw new IllegalStateException("AUTH not started");
        }
        if (reply.code() == 235) {
            return new Step.Succeeded();
        }
        if (reply.code() == 334) {
            return answer(reply);
        }
        if (reply.codeClass() == 5) {
            return new Step.Failed(LocalReplies.authRejected(reply));
        }
        if (reply.codeClass() == 4) {
            return new Step.Failed(reply);
        }
        return new Step.Failed(LocalReplies.protocolError("AUTH answered with " + reply));
    }

    // The LOGIN prompts are answered in order whatever their text: servers word them differently.
    private Step answer(Reply challenge) {
        if (mechanism == Mechanism.LOGIN && responsesSent < 2) {
            String value = responsesSent == 0 ? credentials.username() : credentials.password();
            responsesSent++;
            return new Step.Send(SmtpCommands.saslResponse(value.getBytes(StandardCharsets.UTF_8)));
        }
        return new Step.Failed(LocalReplies.protocolError("unexpected AUTH " + mechanism + " challenge "
                + challenge.code() + " " + challenge.lines().get(0)));
    }
}
