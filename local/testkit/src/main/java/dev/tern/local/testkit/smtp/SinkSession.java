package dev.tern.local.testkit.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLSocket;

import dev.tern.local.testkit.smtp.SinkRequest.Stage;

/**
 * One connection to the {@link SmtpSink}: reads commands, answers them, records messages.
 *
 * <p>RFC 5321 §4.1 command sequencing (HELO before MAIL, MAIL before RCPT, a recipient before
 * DATA, 503 otherwise); §4.5.2 dot-unstuffing, ending data only at CRLF "." CRLF so a bare-LF
 * "dot" cannot end it early; RFC 2920 pipelining by simply reading commands in order from a
 * buffered stream; RFC 3207 §4.2 discarding anything pipelined after STARTTLS and forgetting the
 * EHLO; RFC 2033 §4.2 one DATA reply per accepted recipient in LMTP mode. Runs on its own
 * thread; an I/O error or idle timeout ends the session.
 */
final class SinkSession {

    private static final int MAX_LINE = 4096;

    /** Returned by a handler that has answered by itself (STARTTLS's 220 precedes the handshake). */
    private static final SinkReply ALREADY_SENT = SinkReply.of(250, "(already sent)");

    private final SmtpSink sink;
    private final SmtpSink.Options options;
    private final int id;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String helo;
    private String sender;
    private final List<String> recipients = new ArrayList<>();
    /** Counted in the sink's {@link SmtpSink#transactionsInFlight()}: from an accepted MAIL to the final reply. */
    private boolean inTransaction;

    SinkSession(SmtpSink sink, Socket socket, int id) {
        this.sink = sink;
        this.options = sink.options();
        this.socket = socket;
        this.id = id;
    }

    /** Speaks SMTP until either side ends; the sink closes the socket afterwards (see SmtpSink). */
    void run() {
        try {
            socket.setSoTimeout((int) options.idleTimeout().toMillis());
            // Replies to pipelined commands are separate small writes: with Nagle's algorithm the
            // second waits for the client's delayed ACK (40 ms on Linux), which held a connection to
            // about 25 messages/s.
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            SinkReply greeting = decide(Stage.CONNECT, null, sink.nextAttempt("connect"),
                    SinkReply.of(220, options.hostname() + (options.lmtp() ? " LMTP" : " ESMTP") + " tern sink"));
            send(greeting);
            if (!greeting.isPositive()) {
                return;
            }
            String line;
            while ((line = readLine()) != null) {
                if (!handle(line)) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            trySend(SinkReply.of(421, "4.4.2 " + options.hostname() + " idle too long, closing"));
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            endTransaction();
        }
    }

    /** Handles one command line; false when the connection must close. */
    private boolean handle(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1).trim();
        SinkReply reply = switch (verb) {
            case "EHLO", "HELO" -> options.lmtp() ? SinkReply.of(500, "5.5.1 this is an LMTP server, use LHLO") : hello(verb, arg);
            case "LHLO" -> options.lmtp() ? hello("EHLO", arg) : SinkReply.of(500, "5.5.1 LHLO is LMTP only");
            case "STARTTLS" -> startTls();
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data();
            case "RSET" -> {
                resetTransaction();
                yield SinkReply.of(250, "2.0.0 Ok");
            }
            case "NOOP" -> SinkReply.of(250, "2.0.0 Ok");
            case "VRFY" -> SinkReply.of(252, "2.5.2 Cannot verify, will attempt delivery");
            case "QUIT" -> {
                send(SinkReply.of(221, "2.0.0 Bye"));
                yield null;
            }
            default -> SinkReply.of(500, "5.5.2 Command not recognized");
        };
        if (reply == null) {
            return false;
        }
        if (reply == ALREADY_SENT) {
            return true;
        }
        if (reply.fault() != SinkReply.Fault.NONE) {
            fail(reply.fault());
            return false;
        }
        send(reply);
        if (sender == null) {
            // After the final reply is on the wire, so a client that got its 250 no longer counts.
            endTransaction();
        }
        return !reply.closesConnection();
    }

    private SinkReply hello(String verb, String arg) {
        if (arg.isEmpty()) {
            return SinkReply.of(501, "5.5.4 " + verb + " needs a domain");
        }
        helo = arg;
        resetTransaction();
        if (verb.equals("HELO")) {
            return SinkReply.of(250, options.hostname());
        }
        StringBuilder text = new StringBuilder(options.hostname()).append(" greets ").append(arg)
                .append("\nPIPELINING\n8BITMIME\nSIZE ").append(options.maxMessageSize())
                .append("\nENHANCEDSTATUSCODES\nSMTPUTF8");
        if (options.tls() != null && !(socket instanceof SSLSocket)) {
            text.append("\nSTARTTLS");
        }
        return SinkReply.of(250, text.toString());
    }

    private SinkReply startTls() throws IOException {
        if (options.tls() == null) {
            return SinkReply.of(502, "5.5.1 STARTTLS not offered");
        }
        if (socket instanceof SSLSocket) {
            return SinkReply.of(503, "5.5.1 TLS already active");
        }
        send(SinkReply.of(220, "2.0.0 Ready to start TLS"));
        SSLSocket tls = (SSLSocket) options.tls().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        socket = tls;
        // A fresh stream drops whatever the client pipelined after STARTTLS in plaintext.
        in = new BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
        helo = null;
        resetTransaction();
        return ALREADY_SENT;
    }

    private SinkReply mail(String arg) {
        if (helo == null) {
            return SinkReply.of(503, "5.5.1 Say " + (options.lmtp() ? "LHLO" : "EHLO") + " first");
        }
        if (sender != null) {
            return SinkReply.of(503, "5.5.1 Nested MAIL command");
        }
        String path = path(arg, "FROM:");
        if (path == null) {
            return SinkReply.of(501, "5.5.4 Syntax: MAIL FROM:<address>");
        }
        Long size = sizeParameter(arg);
        if (size != null && size > options.maxMessageSize()) {
            return SinkReply.of(552, "5.3.4 Message size exceeds fixed limit");
        }
        SinkReply reply = decide(Stage.MAIL, null, sink.nextAttempt("mail:" + path), SinkReply.of(250, "2.1.0 Ok"));
        if (reply.isPositive()) {
            sender = path;
            inTransaction = true;
            sink.transactionStarted();
        }
        return reply;
    }

    private SinkReply rcpt(String arg) {
        if (sender == null) {
            return SinkReply.of(503, "5.5.1 Need MAIL before RCPT");
        }
        String path = path(arg, "TO:");
        if (path == null || path.isEmpty()) {
            return SinkReply.of(501, "5.5.4 Syntax: RCPT TO:<address>");
        }
        SinkReply reply = decide(Stage.RCPT, path, sink.nextAttempt("rcpt:" + path), SinkReply.of(250, "2.1.5 Ok"));
        if (reply.isPositive()) {
            recipients.add(path);
        }
        return reply;
    }

    private SinkReply data() throws IOException {
        if (sender == null) {
            return SinkReply.of(503, "5.5.1 Need MAIL before DATA");
        }
        if (recipients.isEmpty()) {
            return SinkReply.of(554, "5.5.1 No valid recipients");
        }
        SinkReply start = decide(Stage.DATA_START, null, sink.nextAttempt("data-start:" + sender + "|" + recipients),
                SinkReply.of(354, "End data with <CR><LF>.<CR><LF>"));
        if (start.fault() == SinkReply.Fault.HANG) {
            send(SinkReply.of(354, "End data with <CR><LF>.<CR><LF>"));
            return start;
        }
        if (start.fault() != SinkReply.Fault.NONE || start.code() != 354) {
            return start;
        }
        send(start);
        byte[] body = readData();
        Instant arrived = Instant.now();
        List<String> delivered = new ArrayList<>();
        SinkReply last;
        if (body == null) {
            last = SinkReply.of(552, "5.3.4 Message size exceeds fixed limit");
            if (options.lmtp()) {
                for (int i = 1; i < recipients.size(); i++) {
                    send(last);
                }
            }
        } else if (options.lmtp()) {
            last = null;
            for (int i = 0; i < recipients.size(); i++) {
                String rcpt = recipients.get(i);
                SinkReply reply = decide(Stage.DATA, rcpt, sink.nextAttempt("data:" + rcpt), SinkReply.of(250, "2.0.0 Ok " + rcpt));
                if (reply.isPositive()) {
                    delivered.add(rcpt);
                }
                if (i < recipients.size() - 1) {
                    send(reply);
                } else {
                    last = reply;
                }
            }
        } else {
            last = decide(Stage.DATA, null, sink.nextAttempt("data:" + sender + "|" + recipients),
                    SinkReply.of(250, "2.0.0 Ok: queued as " + id + "." + arrived.toEpochMilli()));
            if (last.isPositive()) {
                delivered.addAll(recipients);
            }
        }
        if (!delivered.isEmpty()) {
            sink.record(new ReceivedMessage(id, helo, sender, delivered, body, arrived, socket instanceof SSLSocket,
                    socket.getInetAddress().getHostAddress()));
        }
        resetTransaction();
        return last;
    }

    /** Reads the message content up to CRLF.CRLF, unstuffed; null if it exceeded the size limit. */
    private byte[] readData() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean atLineStartAfterCrlf = true;
        boolean tooBig = false;
        while (true) {
            line.reset();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            if (b < 0) {
                throw new IOException("connection closed in DATA");
            }
            byte[] bytes = line.toByteArray();
            boolean endsCrlf = bytes.length >= 2 && bytes[bytes.length - 2] == '\r';
            if (atLineStartAfterCrlf && bytes.length == 3 && bytes[0] == '.' && endsCrlf) {
                return tooBig ? null : body.toByteArray();
            }
            int from = bytes.length > 0 && bytes[0] == '.' && atLineStartAfterCrlf ? 1 : 0;
            if (!tooBig) {
                body.write(bytes, from, bytes.length - from);
                if (body.size() > options.maxMessageSize()) {
                    tooBig = true;
                    body.reset();
                }
            }
            atLineStartAfterCrlf = endsCrlf;
        }
    }

    private SinkReply decide(Stage stage, String recipient, int attempt, SinkReply fallback) {
        return sink.decide(new SinkRequest(stage, id, sender, recipient, recipients, attempt), fallback);
    }

    private void endTransaction() {
        if (inTransaction) {
            inTransaction = false;
            sink.transactionEnded();
        }
    }

    private void resetTransaction() {
        sender = null;
        recipients.clear();
    }

    /** Command line without its line ending, or null at end of stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** The address inside {@code <...>} after {@code keyword} (case-insensitive), or null. */
    private static String path(String arg, String keyword) {
        if (!arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return null;
        }
        String rest = arg.substring(keyword.length()).trim();
        int close = rest.indexOf('>');
        if (!rest.startsWith("<") || close < 0) {
            return null;
        }
        return rest.substring(1, close);
    }

    private static Long sizeParameter(String arg) {
        for (String param : arg.split(" ")) {
            if (param.regionMatches(true, 0, "SIZE=", 0, 5)) {
                try {
                    return Long.parseLong(param.substring(5));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private void send(SinkReply reply) throws IOException {
        out.write(reply.wire().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * A fault instead of a reply. HANG answers nothing more: whatever the client still sends is
     * swallowed unanswered until it closes the connection or the idle timeout passes (which bounds
     * the sink's thread); then, as for RESET, the connection is aborted with a TCP reset.
     */
    private void fail(SinkReply.Fault fault) throws IOException {
        if (fault == SinkReply.Fault.HANG) {
            socket.setSoTimeout((int) options.idleTimeout().toMillis());
            byte[] discard = new byte[4096];
            long deadline = System.nanoTime() + options.idleTimeout().toNanos();
            try {
                while (in.read(discard) >= 0 && System.nanoTime() < deadline) {
                    // Unanswered: the client's own timeout has to end this.
                }
            } catch (SocketTimeoutException e) {
                // The idle timeout bounds the hang.
            }
        }
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void trySend(SinkReply reply) {
        try {
            send(reply);
        } catch (IOException e) {
            // Best effort: the connection is being dropped anyway.
        }
    }
}
