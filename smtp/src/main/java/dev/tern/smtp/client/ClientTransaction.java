package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * One mail transaction on an established connection, without I/O: MAIL, RCPT..., DATA, body, and the
 * per-recipient outcome of each.
 *
 * <p>Implements RFC 5321 §3.3 and §4.1.1.2–§4.1.1.5, PIPELINING per RFC 2920 §3.1 (MAIL, every RCPT
 * and DATA go out as one batch and every reply is checked in order), and LMTP per RFC 2033 §4.2 (one
 * reply per accepted recipient after the body, in RCPT order).
 *
 * <p>Before sending anything, the message is refused locally (see {@link LocalReplies}) when it
 * needs SMTPUTF8 and the peer lacks it, is 8-bit and the peer lacks 8BITMIME (no silent downgrade,
 * RFC 6152 §3), or exceeds the peer's SIZE. DSN parameters go only to peers that advertise DSN; with
 * others they are dropped and {@link TransactionOutcome#dsnPassedOn()} is {@code false} so that the
 * caller can issue the "relayed" notice RFC 3461 §5.2.2 asks for.
 *
 * <p>Failure handling: a rejected MAIL decides every recipient; rejected RCPTs decide theirs; when no
 * recipient is left, DATA is skipped (without pipelining) or its 503/554 is consumed, and if a
 * pipelined DATA got 354 anyway a lone {@code .} ends the empty message (RFC 2920 §3.1). Whenever
 * the transaction ends before the final dot, RSET returns the server to a clean state so that the
 * connection can be reused (RFC 5321 §4.1.1.5). A 421 at any point, {@link #abort(Reply)} on lost
 * connection or timeout, and replies that make no sense for the command give every undecided
 * recipient a transient outcome and make the connection unusable.
 *
 * <p>Not thread-safe: drive it from the connection's I/O thread.
 */
public final class ClientTransaction {

    private enum Expect { MAIL, RCPT, DATA, END_OF_DATA, EMPTY_MESSAGE_END, RSET }

    private final EhloCapabilities caps;
    private final OutboundEnvelope envelope;
    private final boolean lmtp;
    private final boolean pipelining;
    private final RecipientOutcome[] outcomes;
    private final List<Integer> accepted = new ArrayList<>();
    private final Deque<Expect> expected = new ArrayDeque<>();
    private int nextRcptReply;
    private int nextLmtpReply;
    private boolean mailRejected;
    private boolean started;
    private Reply messageReply;
    private TransactionOutcome outcome;

    public ClientTransaction(EhloCapabilities caps, OutboundEnvelope envelope, boolean lmtp) {
        this.caps = caps;
        this.envelope = envelope;
        this.lmtp = lmtp;
        this.pipelining = caps.pipelining();
        this.outcomes = new RecipientOutcome[envelope.recipients().size()];
    }

    /** Begins the transaction: the first batch to write, or an immediate local outcome. */
    public ClientAction start() {
        if (started) {
            throw new IllegalStateException("transaction already started");
        }
        started = true;
        Reply refusal = localRefusal();
        if (refusal != null) {
            decideAll(refusal, Phase.LOCAL);
            messageReply = refusal;
            return finish(true);
        }
        if (!pipelining) {
            expected.add(Expect.MAIL);
            return new ClientAction.Write(SmtpCommands.mail(envelope, caps));
        }
        var batch = new ByteArrayOutputStream();
        batch.writeBytes(SmtpCommands.mail(envelope, caps));
        expected.add(Expect.MAIL);
        for (OutboundRecipient recipient : envelope.recipients()) {
            batch.writeBytes(SmtpCommands.rcpt(recipient, caps));
            expected.add(Expect.RCPT);
        }
        batch.writeBytes(SmtpCommands.data());
        expected.add(Expect.DATA);
        return new ClientAction.Write(batch.toByteArray());
    }

    private Reply localRefusal() {
        if (envelope.smtpUtf8() && !caps.smtpUtf8()) {
            return LocalReplies.smtpUtf8NotSupported();
        }
        if (envelope.eightBit() && !caps.eightBitMime()) {
            return LocalReplies.eightBitNotSupported();
        }
        long limit = caps.sizeLimit();
        if (limit > 0 && envelope.size() > limit) {
            return LocalReplies.messageTooBig(envelope.size(), limit);
        }
        return null;
    }

    /** Consumes the next reply from the server. */
    public ClientAction onReply(Reply reply) {
        if (!started || outcome != null) {
            throw new IllegalStateException("transaction is not waiting for replies");
        }
        if (reply.code() == 421) {
            return abort(reply);
        }
        Expect expect = expected.poll();
        if (expect == null) {
            return abort(LocalReplies.protocolError("unexpected reply " + reply));
        }
        switch (expect) {
            case MAIL:
                return onMail(reply);
            case RCPT:
                return onRcpt(reply);
            case DATA:
                return onData(reply);
            case END_OF_DATA:
                return onEndOfData(reply);
            case EMPTY_MESSAGE_END:
                if (messageReply == null) {
                    messageReply = reply;
                }
                return finish(true);
            case RSET:
                return finish(reply.codeClass() == 2);
            default:
                throw new AssertionError(expect);
        }
    }

    /**
     * Ends the transaction because the connection failed (lost, timed out, protocol error, 421):
     * every undecided recipient gets {@code reason}, and the connection must not be reused.
     */
    public ClientAction abort(Reply reason) {
        if (outcome != null) {
            return new ClientAction.TransactionDone(outcome);
        }
        if (messageReply == null || Arrays.asList(outcomes).contains(null)) {
            messageReply = reason;
        }
        decideAll(reason, Phase.CONNECTION);
        return finish(false);
    }

    public boolean finished() {
        return outcome != null;
    }

    /** The outcome; {@code null} until {@link #finished()}. */
    public TransactionOutcome outcome() {
        return outcome;
    }

    private ClientAction onMail(Reply reply) {
        if (reply.codeClass() == 3) {
            return abort(LocalReplies.protocolError("MAIL answered with " + reply));
        }
        if (reply.codeClass() == 2) {
            return pipelining ? ClientAction.AWAIT : sendRcpt(0);
        }
        mailRejected = true;
        messageReply = reply;
        decideAll(reply, Phase.MAIL);
        // Pipelined: the RCPT and DATA replies are still on their way; reset after the last.
        return pipelining ? ClientAction.AWAIT : reset();
    }

    private ClientAction onRcpt(Reply reply) {
        int index = nextRcptReply++;
        if (reply.codeClass() == 3) {
            return abort(LocalReplies.protocolError("RCPT answered with " + reply));
        }
        if (!mailRejected) {
            if (reply.codeClass() == 2) {
                accepted.add(index);
            } else {
                outcomes[index] = new RecipientOutcome(envelope.recipients().get(index), reply, Phase.RCPT);
            }
        }
        if (pipelining) {
            return ClientAction.AWAIT;
        }
        if (nextRcptReply < outcomes.length) {
            return sendRcpt(nextRcptReply);
        }
        if (accepted.isEmpty()) {
            messageReply = reply;
            return reset();
        }
        expected.add(Expect.DATA);
        return new ClientAction.Write(SmtpCommands.data());
    }

    private ClientAction sendRcpt(int index) {
        expected.add(Expect.RCPT);
        return new ClientAction.Write(SmtpCommands.rcpt(envelope.recipients().get(index), caps));
    }

    private ClientAction onData(Reply reply) {
        boolean anyAccepted = !mailRejected && !accepted.isEmpty();
        if (reply.code() == 354) {
            if (!anyAccepted) {
                // RFC 2920 §3.1: DATA accepted with no valid recipient; end it with an empty message.
                expected.add(Expect.EMPTY_MESSAGE_END);
                return new ClientAction.Write(new byte[] {'.', '\r', '\n'});
            }
            int replies = lmtp ? accepted.size() : 1;
            for (int i = 0; i < replies; i++) {
                expected.add(Expect.END_OF_DATA);
            }
            return ClientAction.WRITE_BODY;
        }
        if (reply.codeClass() != 4 && reply.codeClass() != 5) {
            return abort(LocalReplies.protocolError("DATA answered with " + reply));
        }
        if (anyAccepted) {
            decideAccepted(reply, Phase.DATA);
        }
        if (messageReply == null) {
            messageReply = reply;
        }
        return reset();
    }

    private ClientAction onEndOfData(Reply reply) {
        if (reply.codeClass() == 3) {
            return abort(LocalReplies.protocolError("end of data answered with " + reply));
        }
        messageReply = reply;
        if (!lmtp) {
            decideAccepted(reply, Phase.END_OF_DATA);
            return finish(true);
        }
        int index = accepted.get(nextLmtpReply++);
        outcomes[index] = new RecipientOutcome(envelope.recipients().get(index), reply, Phase.END_OF_DATA);
        return expected.isEmpty() ? finish(true) : ClientAction.AWAIT;
    }

    private ClientAction reset() {
        expected.add(Expect.RSET);
        return new ClientAction.Write(SmtpCommands.rset());
    }

    private void decideAccepted(Reply reply, Phase phase) {
        for (int index : accepted) {
            if (outcomes[index] == null) {
                outcomes[index] = new RecipientOutcome(envelope.recipients().get(index), reply, phase);
            }
        }
    }

    private void decideAll(Reply reply, Phase phase) {
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = new RecipientOutcome(envelope.recipients().get(i), reply, phase);
            }
        }
    }

    private ClientAction finish(boolean reusable) {
        expected.clear();
        if (Arrays.asList(outcomes).contains(null)) {
            throw new IllegalStateException("transaction finished with undecided recipients");
        }
        outcome = new TransactionOutcome(Arrays.asList(outcomes), messageReply, reusable, caps.dsn());
        return new ClientAction.TransactionDone(outcome);
    }
}
