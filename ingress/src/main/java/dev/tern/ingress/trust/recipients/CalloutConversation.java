package dev.tern.ingress.trust.recipients;

import dev.tern.smtp.client.ReplyParser;
import dev.tern.smtp.client.SmtpProtocolException;
import dev.tern.smtp.reply.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One blocking SMTP/LMTP client connection for a callout: send a command line, read its reply.
 * Replies are parsed by the smtp module's {@link ReplyParser} (multi-line replies, enhanced status
 * codes, bounded line length), so a hostile or broken server cannot make us buffer without limit.
 *
 * <p>Every wait, the connect included, is bounded by one deadline for the whole conversation: a
 * server that trickles a byte at a time cannot stretch a callout beyond its timeout. Not
 * thread-safe; one conversation per callout, on the executor's thread.
 */
final class CalloutConversation implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long deadlineNanos;
    private final ReplyParser parser = new ReplyParser();
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final byte[] buffer = new byte[4096];

    private CalloutConversation(Socket socket, long deadlineNanos) throws IOException {
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port} before {@code deadlineNanos} ({@link System#nanoTime()}). */
    static CalloutConversation open(String host, int port, long deadlineNanos) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
            return new CalloutConversation(socket, deadlineNanos);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code line} (without CRLF) and returns the server's reply to it. */
    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /**
     * The next reply (the greeting, or the reply to the last command).
     *
     * @throws SocketTimeoutException when the deadline passes first
     * @throws IOException when the server closes the connection or sends something that is not a reply
     */
    Reply read() throws IOException {
        while (replies.isEmpty()) {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            int n = in.read(buffer);
            if (n < 0) {
                throw new EOFException("the server closed the connection"
                        + (parser.hasPartialReply() ? " in the middle of a reply" : ""));
            }
            try {
                replies.addAll(parser.feed(buffer, 0, n));
            } catch (SmtpProtocolException e) {
                throw new IOException("not an SMTP reply: " + e.getMessage(), e);
            }
        }
        return replies.removeFirst();
    }

    /** Lets the parser take enhanced status codes as given, once the server advertised them (RFC 2034 §3). */
    void enhancedStatusCodes(boolean advertised) {
        parser.enhancedStatusCodes(advertised);
    }

    /** Milliseconds left, at least 1: a socket timeout of 0 would mean "wait for ever". */
    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("callout deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // The conversation is over either way.
        }
    }
}
