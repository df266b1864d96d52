package dev.tern.local.launcher.bench;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pre-loads the queue: many parallel SMTP sessions into ingress, each sending up to
 * {@value #MESSAGES_PER_SESSION} messages with RFC 2920 pipelining (MAIL, RCPT and DATA in one
 * write, then the body), so a message costs two round trips instead of four. Going through
 * ingress keeps the Kafka records exactly what production writes.
 *
 * <p>Each message has one recipient, {@code rcpt<n % 10>@<domain>}, and the subject
 * {@code shaping <n>}, which {@link #indexOf} reads back at the sink. Any reply other than the
 * expected 250/354 ends the feed with an exception: a benchmark with lost input measures nothing.
 */
final class PipelinedFeeder {

    private static final int MESSAGES_PER_SESSION = 100;
    private static final String SUBJECT = "Subject: shaping ";

    /** What was fed and how fast ingress took it (250 after the Kafka acknowledgement). */
    record Result(int accepted, Duration took) {
        double rate() {
            return accepted / (took.toNanos() / 1e9);
        }
    }

    private PipelinedFeeder() {
    }

    static Result feed(int smtpPort, int sessions, int messages, int sizeBytes, String domain) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        long started = System.nanoTime();
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                sent.add(pool.submit(() -> sessionsUntilDone(smtpPort, next, messages, sizeBytes, domain)));
            }
            int accepted = 0;
            for (Future<Integer> f : sent) {
                accepted += f.get(30, TimeUnit.MINUTES);
            }
            return new Result(accepted, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The {@code n} a fed message carries in its subject, or -1 for any other message. */
    static int indexOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(SUBJECT);
        if (at < 0) {
            return -1;
        }
        int from = at + SUBJECT.length();
        int to = text.indexOf('\r', from);
        return Integer.parseInt(text, from, to, 10);
    }

    private static int sessionsUntilDone(int port, AtomicInteger next, int messages, int sizeBytes, String domain)
            throws IOException {
        int accepted = 0;
        while (next.get() < messages) {
            accepted += oneSession(port, next, messages, sizeBytes, domain);
        }
        return accepted;
    }

    private static int oneSession(int port, AtomicInteger next, int messages, int sizeBytes, String domain)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            expect(in, "220");
            write(out, "EHLO feeder.test\r\n");
            boolean pipelining = expect(in, "250").contains("PIPELINING");
            int sent = 0;
            int n;
            while (sent < MESSAGES_PER_SESSION && (n = next.getAndIncrement()) < messages) {
                String rcpt = "rcpt" + (n % 10) + "@" + domain;
                String mail = "MAIL FROM:<bench@sender.test>\r\n";
                String to = "RCPT TO:<" + rcpt + ">\r\n";
                if (pipelining) {
                    write(out, mail + to + "DATA\r\n");
                    expect(in, "250");
                    expect(in, "250");
                } else {
                    write(out, mail);
                    expect(in, "250");
                    write(out, to);
                    expect(in, "250");
                    write(out, "DATA\r\n");
                }
                expect(in, "354");
                out.write(body(n, rcpt, sizeBytes));
                out.flush();
                expect(in, "250");
                sent++;
            }
            write(out, "QUIT\r\n");
            return sent;
        }
    }

    /** About {@code sizeBytes} of RFC 5322 message, ending with the end-of-data dot. */
    private static byte[] body(int n, String rcpt, int sizeBytes) {
        StringBuilder b = new StringBuilder(sizeBytes + 128)
                .append("From: <bench@sender.test>\r\n")
                .append("To: <").append(rcpt).append(">\r\n")
                .append(SUBJECT).append(n).append("\r\n")
                .append("Message-ID: <").append(n).append(".shaping@sender.test>\r\n")
                .append("\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (b.length() < sizeBytes) {
            b.append(line);
        }
        return b.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; throws unless it starts with {@code code}. */
    private static String expect(InputStream in, String code) throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        do {
            line = readLine(in);
            reply.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("expected " + code + " from ingress, got: " + reply.toString().strip());
        }
        return reply.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("ingress closed the connection after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
