package dev.tern.local.launcher.chaos;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The chaos cases' SMTP load: {@code sessions} parallel sessions send messages 0..count-1 of one
 * case, each with the unique Message-ID {@code <chaos-<case>-<n>@sender.test>}, pipelining MAIL,
 * RCPT and DATA, and record what ingress answered each one. A message is accepted only on a 250
 * after its data; any other final answer is a refusal; a connection that breaks before the answer
 * leaves the message unanswered (the client would retry it). A 421 or a broken connection ends the
 * session and a new one is opened, to the next of {@code addresses} in turn, so the load goes on
 * while one ingress is down. Connection failures are bounded ({@code count / 4 + 20}), so a load
 * against a dead cluster ends instead of spinning.
 *
 * <p>{@link #inFlight()} counts transactions sent and not yet answered: what a fault at that moment
 * can leave unknown to the client.
 */
public final class ChaosLoad {

    /** What ingress answered one message. */
    public enum Outcome { ACCEPTED, REFUSED, UNANSWERED }

    private final String caseName;
    private final List<String> addresses;
    private final int port;
    private final int count;
    private final int sessions;
    private final IntFunction<String> recipient;
    private final Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Set<String> refusals = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private ExecutorService pool;
    private Future<?> all;

    /**
     * @param recipient the recipient of message n (its domain must route to the sink)
     */
    public ChaosLoad(String caseName, List<String> addresses, int port, int count, int sessions,
            IntFunction<String> recipient) {
        this.caseName = caseName;
        this.addresses = List.copyOf(addresses);
        this.port = port;
        this.count = count;
        this.sessions = sessions;
        this.recipient = recipient;
    }

    /** The Message-ID's local part of message n of a case, as the sink finds it. */
    public static String messageId(String caseName, int n) {
        return "chaos-" + caseName + "-" + n + "@sender.test";
    }

    public ChaosLoad start() {
        pool = Executors.newFixedThreadPool(sessions + 1);
        List<Future<?>> each = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            each.add(pool.submit(this::sessionsUntilDone));
        }
        all = pool.submit(() -> {
            for (Future<?> f : each) {
                f.get();
            }
            return null;
        });
        pool.shutdown();
        return this;
    }

    /** Waits until {@code n} messages were accepted; false if the load ended or the time passed first. */
    public boolean awaitAccepted(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (accepted) {
            while (accepted.get() < n && !all.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                accepted.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
            }
        }
        return accepted.get() >= n;
    }

    /** Waits for every message to be answered (or broken off). */
    public void finish(Duration timeout) throws Exception {
        try {
            all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public Map<Integer, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    public int count(Outcome o) {
        return (int) outcomes.values().stream().filter(o::equals).count();
    }

    /** Distinct refusal codes seen, e.g. {@code [451, 421]}. */
    public Set<String> refusals() {
        return Set.copyOf(refusals);
    }

    private Void sessionsUntilDone() {
        while (next.get() < count) {
            String address = addresses.get(Math.floorMod(connections.getAndIncrement(), addresses.size()));
            try {
                oneSession(address);
            } catch (IOException e) {
                if (connectFailures.incrementAndGet() > count / 4 + 20) {
                    throw new IllegalStateException("more than " + (count / 4 + 20) + " SMTP connections failed", e);
                }
                pause(200); // A refused connect is instant; without a pause a dead ingress eats the budget at once.
            }
        }
        return null;
    }

    /** One connection; IOException only if it failed before taking a message. */
    private void oneSession(String address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 10_000);
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            if (!reply(in).startsWith("220")) {
                throw new IOException("not greeted with 220");
            }
            write(out, "EHLO load.test\r\n");
            if (!reply(in).startsWith("250")) {
                throw new IOException("EHLO refused");
            }
            int n;
            while ((n = next.getAndIncrement()) < count) {
                inFlight.incrementAndGet();
                try {
                    if (!transaction(in, out, n)) {
                        return;
                    }
                } catch (IOException e) {
                    outcomes.putIfAbsent(n, Outcome.UNANSWERED);
                    return;
                } finally {
                    inFlight.decrementAndGet();
                }
            }
            write(out, "QUIT\r\n");
        }
    }

    /** One message; false when the server closed the session (421). */
    private boolean transaction(InputStream in, OutputStream out, int n) throws IOException {
        write(out, "MAIL FROM:<load@sender.test>\r\nRCPT TO:<" + recipient.apply(n) + ">\r\nDATA\r\n");
        String mail = reply(in);
        String rcpt = reply(in);
        String data = reply(in);
        if (!data.startsWith("354")) {
            String refusal = !mail.startsWith("250") ? mail : !rcpt.startsWith("250") ? rcpt : data;
            refuse(n, refusal);
            if (refusal.startsWith("421")) {
                return false;
            }
            write(out, "RSET\r\n");
            return !reply(in).startsWith("421");
        }
        write(out, "From: <load@sender.test>\r\nSubject: chaos " + caseName + " " + n + "\r\nMessage-ID: <"
                + messageId(caseName, n) + ">\r\n\r\nmessage " + n + " of chaos case " + caseName + "\r\n.\r\n");
        String end = reply(in);
        if (end.startsWith("250")) {
            outcomes.put(n, Outcome.ACCEPTED);
            synchronized (accepted) {
                accepted.incrementAndGet();
                accepted.notifyAll();
            }
            return true;
        }
        refuse(n, end);
        return !end.startsWith("421");
    }

    private void refuse(int n, String reply) {
        outcomes.put(n, Outcome.REFUSED);
        refusals.add(reply.length() > 3 ? reply.substring(0, 3) : reply);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One (possibly multi-line) reply; its last line. */
    static String reply(InputStream in) throws IOException {
        String line;
        do {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("ingress closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            line = b.toString();
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }
}
