package dev.tern.local.testkit.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import dev.tern.local.runtime.process.FreePorts;

/**
 * A real SMTP (or LMTP) server on 127.0.0.1 that stands in for the remote mail server in
 * delivery tests: it accepts, records, and answers as a test's {@link SinkBehaviour} scripts.
 *
 * <p>Implements enough of RFC 5321 for a conforming client: EHLO advertising PIPELINING
 * (RFC 2920), 8BITMIME (RFC 6152), SIZE (RFC 1870), ENHANCEDSTATUSCODES (RFC 2034), SMTPUTF8
 * (RFC 6531) and, when enabled, STARTTLS (RFC 3207) with a generated self-signed certificate;
 * MAIL, RCPT, DATA with dot-unstuffing (§4.5.2), RSET, NOOP, VRFY, QUIT. In LMTP mode (RFC 2033)
 * the greeting command is LHLO and DATA gets one reply per accepted recipient. The protocol
 * itself lives in {@link SinkSession}.
 *
 * <p>Records every accepted message ({@link #messages()}) and counts connections, including the
 * highest number open at once ({@link #maxConcurrentConnections()}), so tests can assert on
 * connection reuse and cluster-wide concurrency limits.
 *
 * <p>One daemon thread per connection; all methods are thread-safe. {@link #close()} stops
 * accepting and drops open connections.
 */
public final class SmtpSink implements AutoCloseable {

    private final Options options;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openCount = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private volatile SinkBehaviour behaviour;
    private volatile boolean closed;

    private SmtpSink(Options options) throws IOException {
        this.options = options;
        this.behaviour = options.behaviour;
        this.server = new ServerSocket(options.port, 50, InetAddress.getByName(FreePorts.LOOPBACK));
        this.threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "smtp-sink-" + server.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    /** An SMTP sink on a free port that accepts everything. */
    public static SmtpSink start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return FreePorts.LOOPBACK;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return host() + ":" + port();
    }

    /** Replaces the behaviour for replies from now on (null: accept all); open connections see it at once. */
    public void behaviour(SinkBehaviour newBehaviour) {
        this.behaviour = newBehaviour == null ? SinkBehaviour.acceptAll() : newBehaviour;
    }

    /** Accepted messages in arrival order (a snapshot). */
    public synchronized List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    /**
     * Waits until at least {@code count} messages have arrived.
     *
     * @throws AssertionError with the messages seen so far if they do not arrive within {@code timeout}
     */
    public synchronized List<ReceivedMessage> awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " messages at " + address() + " within " + timeout
                        + " but got " + messages.size() + ": " + messages);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(messages);
    }

    /**
     * Waits until a message matching {@code wanted} has arrived and returns the first such.
     *
     * @throws AssertionError with the messages seen so far if none arrives within {@code timeout}
     */
    public synchronized ReceivedMessage awaitMessage(Predicate<ReceivedMessage> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ReceivedMessage m : messages) {
                if (wanted.test(m)) {
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message at " + address() + " within " + timeout + " among "
                        + messages.size() + ": " + messages);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Connections open right now. */
    public int openConnections() {
        return openCount.get();
    }

    /**
     * Waits until the sink has seen exactly {@code count} connections open: a client's close
     * reaches the sink's session thread some time after the client returns from it, so a test that
     * closes connections and then opens more waits here first, or the sink still counts the old ones.
     *
     * @throws AssertionError with the number open if that does not happen within {@code timeout}
     */
    public synchronized void awaitOpenConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openCount.get() != count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " open connections at " + address() + " within "
                        + timeout + " but " + openCount.get() + " are open");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Highest number of connections that were open at the same time. */
    public int maxConcurrentConnections() {
        return maxOpen.get();
    }

    /** Forgets recorded messages, attempt counts and connection statistics. */
    public synchronized void reset() {
        messages.clear();
        attempts.clear();
        connections.set(0);
        maxOpen.set(openCount.get());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket only fails if it is already closed.
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // Dropping the connection is the point; a failure to do so cleanly is irrelevant.
            }
        }
        threads.shutdownNow();
    }

    /**
     * SMTP transactions open right now: a MAIL accepted and the final reply to its DATA not yet
     * sent (nor the transaction reset or the connection gone). A client that dies at this moment
     * may not have heard a 250 the sink is about to give, the source of at-least-once duplicates.
     */
    public int transactionsInFlight() {
        return transactions.get();
    }

    void transactionStarted() {
        transactions.incrementAndGet();
    }

    void transactionEnded() {
        transactions.decrementAndGet();
    }

    Options options() {
        return options;
    }

    SinkReply decide(SinkRequest request, SinkReply fallback) {
        SinkReply chosen = behaviour.reply(request);
        return chosen != null ? chosen : fallback;
    }

    int nextAttempt(String key) {
        return attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    synchronized void record(ReceivedMessage message) {
        messages.add(message);
        notifyAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int id = connections.incrementAndGet();
            opened(socket);
            threads.execute(() -> {
                try {
                    new SinkSession(this, socket, id).run();
                } finally {
                    // Counted closed before the socket closes: a client that waits for the server's
                    // close before opening its next connection (delivery's pool does, after QUIT)
                    // must not find the old one still counted as open.
                    closed(socket);
                    closeQuietly(socket);
                }
            });
        }
    }

    private synchronized void opened(Socket socket) {
        open.add(socket);
        maxOpen.accumulateAndGet(openCount.incrementAndGet(), Math::max);
        notifyAll();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // The connection is over either way.
        }
    }

    private synchronized void closed(Socket socket) {
        open.remove(socket);
        openCount.decrementAndGet();
        notifyAll();
    }

    /** Settings fixed at start. */
    record Options(int port, boolean lmtp, String hostname, long maxMessageSize, SSLContext tls,
            Duration idleTimeout, SinkBehaviour behaviour) {
    }

    /** Configures and starts an {@link SmtpSink}. */
    public static final class Builder {
        private int port;
        private boolean lmtp;
        private String hostname = "sink.test";
        private long maxMessageSize = 60L * 1024 * 1024;
        private SSLContext tls;
        private Duration idleTimeout = Duration.ofMinutes(2);
        private SinkBehaviour behaviour = SinkBehaviour.acceptAll();

        private Builder() {
        }

        /** Listening port; default 0, a free port. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Speak LMTP (RFC 2033) instead of SMTP. */
        public Builder lmtp() {
            this.lmtp = true;
            return this;
        }

        /** Name in the greeting and EHLO reply; default {@code sink.test}. */
        public Builder hostname(String value) {
            this.hostname = value;
            return this;
        }

        /** Advertised SIZE; larger messages get 552 5.3.4. Default 60 MiB. */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** Offer STARTTLS with a self-signed certificate for localhost / 127.0.0.1. */
        public Builder starttls() {
            this.tls = SelfSignedTls.serverContext();
            return this;
        }

        /** Offer STARTTLS with the given server context. */
        public Builder starttls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /** A connection silent this long gets 421 4.4.2 and is closed; default 2 minutes. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder behaviour(SinkBehaviour value) {
            this.behaviour = value;
            return this;
        }

        public SmtpSink start() {
            try {
                return new SmtpSink(new Options(port, lmtp, hostname, maxMessageSize, tls, idleTimeout, behaviour));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + FreePorts.LOOPBACK + ":" + port, e);
            }
        }
    }
}
