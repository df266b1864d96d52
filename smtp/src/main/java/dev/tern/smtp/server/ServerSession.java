package dev.tern.smtp.server;

import dev.tern.smtp.io.CommandLineReader;
import dev.tern.smtp.io.LineResult;
import dev.tern.smtp.reply.Reply;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The server side of one SMTP connection as a state machine without I/O (RFC 5321 §4.1.4
 * sequencing, RFC 2920 pipelining, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 3030 CHUNKING).
 *
 * <p>The ingress owns the socket. It calls {@link #start()} when the connection is accepted,
 * {@link #receive(ByteBuffer)} with every chunk of bytes read, {@link #tlsStarted(TlsInfo)} when
 * a handshake requested by {@link Signal#START_TLS} is done, and {@link #timeout()},
 * {@link #shutdown()} or {@link #disconnected()} as those happen. The session answers through
 * {@link SessionOutput}: replies to write and signals to act on. Decisions (HELO, sender,
 * recipients, AUTH, where the message goes) come from the {@link SessionPolicy}.
 *
 * <p><b>Input</b> may be split or pipelined in any way: a chunk may hold half a command or ten
 * commands and the start of a message. Bytes are consumed exactly: the command reader, the DATA
 * reader and the BDAT reader each take what belongs to them and leave the rest. Bytes pipelined
 * after STARTTLS, and any that arrive before {@link #tlsStarted}, are discarded unread.
 *
 * <p><b>Asynchronous decisions</b>: while a policy stage or a {@link MessageSink#complete} is
 * pending, input is queued and processed, in order, once it completes; {@link Signal#PAUSE_INPUT}
 * and {@link Signal#RESUME_INPUT} let the ingress stop reading meanwhile.
 *
 * <p><b>Threading</b>: not thread-safe. All calls must come from one thread at a time (a Vert.x
 * event loop). Continuations after a policy stage run through the {@code continuations}
 * executor, which must bring them back to that thread (e.g. {@code context::runOnContext}); the
 * default runs them where the stage completes, which suits stages completed on that thread.
 */
public final class ServerSession {

    /** RFC 4954 §4: SASL responses may be up to 12288 octets. */
    private static final int SASL_LINE_OCTETS = 12288;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SessionConfig config;
    private final SessionPolicy policy;
    private final SessionOutput output;
    private final Executor continuations;
    private final SessionState state;
    private final CommandLineReader lines;
    private final CommandHandler commands;
    private final ArrayDeque<ByteBuffer> input = new ArrayDeque<>();

    private Predicate<ByteBuffer> bytesConsumer;
    private Runnable bytesDone;
    private Consumer<LineResult> lineConsumer;
    private boolean awaiting;
    private boolean paused;
    private boolean draining;
    private boolean tlsPending;
    private boolean closed;
    private int errors;
    private int junk;
    private long discardedAfterStartTls;

    public ServerSession(SessionConfig config, SessionPolicy policy, SessionOutput output) {
        this(config, policy, output, Runnable::run);
    }

    public ServerSession(SessionConfig config, SessionPolicy policy, SessionOutput output, Executor continuations) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.output = Objects.requireNonNull(output, "output");
        this.continuations = Objects.requireNonNull(continuations, "continuations");
        this.state = new SessionState(config);
        this.lines = new CommandLineReader(config.maxCommandLine());
        this.commands = new CommandHandler(new Context());
    }

    /** Sends the {@code 220} greeting. */
    public void start() {
        output.send(Replies.greeting(config.hostname()));
    }

    /**
     * Greets with a refusal (e.g. {@code 554 5.7.1} for a blocked client): RFC 5321 §3.1 then
     * wants the server to wait for QUIT, answering {@code 503 5.5.1} to anything else, until the
     * error limit closes the connection.
     */
    public void startRejecting(Reply greeting) {
        if (greeting.isPositive()) {
            throw new IllegalArgumentException("not a refusal: " + greeting);
        }
        commands.refuseService();
        output.send(greeting);
    }

    /** Answers a client that talked before the greeting with {@code 554 5.5.1} and closes. */
    public void rejectEarlyTalker() {
        finish(Replies.earlyTalker(config.hostname()));
    }

    /** Feeds bytes read from the client; consumes all of them (queueing while a decision is pending). */
    public void receive(ByteBuffer bytes) {
        if (closed || tlsPending) {
            discardedAfterStartTls += tlsPending ? bytes.remaining() : 0;
            bytes.position(bytes.limit());
            return;
        }
        input.addLast(bytes);
        drain();
        // The caller may reuse its buffer: keep a copy of whatever is still queued.
        if (input.peekLast() == bytes) {
            input.pollLast();
            if (bytes.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes);
                input.addLast(copy.flip());
            }
        }
    }

    /** Convenience for {@link #receive(ByteBuffer)}. */
    public void receive(byte[] bytes) {
        receive(ByteBuffer.wrap(bytes));
    }

    /**
     * The TLS handshake after {@link Signal#START_TLS} succeeded. The session forgets HELO/EHLO
     * and AUTH (RFC 3207 §4.2) and expects a new EHLO.
     */
    public void tlsStarted(TlsInfo tls) {
        if (!tlsPending) {
            throw new IllegalStateException("no STARTTLS in progress");
        }
        tlsPending = false;
        lines.reset();
        state.resetForTls(Objects.requireNonNull(tls, "tls"));
    }

    /** The client was idle too long: {@code 421 4.4.2} and close. */
    public void timeout() {
        finish(Replies.timeout(config.hostname()));
    }

    /** The server is going down: {@code 421 4.3.2} and close. */
    public void shutdown() {
        finish(Replies.shuttingDown(config.hostname()));
    }

    /** The connection is gone: abort any message in progress, send nothing. */
    public void disconnected() {
        closed = true;
        input.clear();
        state.resetTransaction();
    }

    public boolean isClosed() {
        return closed;
    }

    /** True while a policy decision or a queue write is pending. */
    public boolean isAwaiting() {
        return awaiting;
    }

    /** The session's state as the policy sees it. */
    public SessionView view() {
        return state;
    }

    /** Plaintext bytes thrown away after STARTTLS: non-zero means a command injection attempt. */
    public long discardedAfterStartTls() {
        return discardedAfterStartTls;
    }

    private void finish(Reply last) {
        if (closed) {
            return;
        }
        output.send(last);
        close();
    }

    private void close() {
        closed = true;
        input.clear();
        state.resetTransaction();
        output.signal(Signal.CLOSE);
    }

    /** Processes queued input until it runs out or the session must wait. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!awaiting && !closed && !tlsPending && !input.isEmpty()) {
                ByteBuffer head = input.peekFirst();
                if (!head.hasRemaining()) {
                    input.pollFirst();
                } else if (bytesConsumer != null) {
                    if (bytesConsumer.test(head)) {
                        Runnable done = bytesDone;
                        bytesConsumer = null;
                        bytesDone = null;
                        done.run();
                    }
                } else {
                    LineResult line = lines.next(head);
                    if (line != null) {
                        onLine(line);
                    }
                }
            }
        } finally {
            draining = false;
        }
    }

    private void onLine(LineResult line) {
        if (lineConsumer != null) {
            Consumer<LineResult> handler = lineConsumer;
            lineConsumer = null;
            lines.setMaxLineOctets(config.maxCommandLine());
            handler.accept(line);
        } else if (line instanceof LineResult.Refused refused) {
            countedReply(refused.problem().reply());
        } else {
            commands.handle(((LineResult.Line) line).bytes());
        }
    }

    private void countedReply(Reply reply) {
        output.send(reply);
        if (reply.code() >= 400 && ++errors >= config.hardErrorLimit()) {
            finish(Replies.tooManyErrors(config.hostname()));
        }
    }

    private <T> void resume(T value, Consumer<T> then) {
        awaiting = false;
        if (paused) {
            paused = false;
            output.signal(Signal.RESUME_INPUT);
        }
        if (closed) {
            return;
        }
        then.accept(value);
        drain();
    }

    /** The handlers' view of this session; see {@link SessionContext}. */
    private final class Context implements SessionContext {

        @Override
        public SessionConfig config() {
            return config;
        }

        @Override
        public SessionPolicy policy() {
            return policy;
        }

        @Override
        public SessionState state() {
            return state;
        }

        @Override
        public void reply(Reply reply) {
            countedReply(reply);
        }

        @Override
        public void replyUncounted(Reply reply) {
            output.send(reply);
        }

        @Override
        public void replyToJunk(Reply reply) {
            output.send(reply);
            if (++junk > config.junkCommandLimit() && ++errors >= config.hardErrorLimit()) {
                finish(Replies.tooManyErrors(config.hostname()));
            }
        }

        @Override
        public <T> void await(Supplier<CompletionStage<T>> call, Function<Throwable, T> recover, Consumer<T> then) {
            CompletionStage<T> stage;
            try {
                stage = Objects.requireNonNull(call.get(), "policy returned a null stage");
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            awaiting = true;
            stage.whenComplete((value, error) -> continuations.execute(
                    () -> resume(error == null ? value : recover.apply(error), then)));
            if (awaiting && !closed) {
                paused = true;
                output.signal(Signal.PAUSE_INPUT);
            }
        }

        @Override
        public void readBytes(Predicate<ByteBuffer> consumer, Runnable whenDone) {
            // A zero-octet BDAT chunk is complete before any byte arrives.
            if (consumer.test(EMPTY)) {
                whenDone.run();
            } else {
                bytesConsumer = consumer;
                bytesDone = whenDone;
            }
        }

        @Override
        public void readLine(Consumer<LineResult> handler) {
            lines.setMaxLineOctets(SASL_LINE_OCTETS);
            lineConsumer = handler;
        }

        @Override
        public void startTls() {
            tlsPending = true;
            for (ByteBuffer queued : input) {
                discardedAfterStartTls += queued.remaining();
                queued.position(queued.limit());
            }
            input.clear();
            lines.reset();
            output.signal(Signal.START_TLS);
        }

        @Override
        public void close() {
            ServerSession.this.close();
        }
    }
}
