package dev.tern.smtp.server;

import dev.tern.smtp.parse.RcptParameters;
import dev.tern.smtp.reply.Reply;
import dev.tern.smtp.testing.GoldenFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * A {@link SessionOutput} that records the server's bytes exactly, with each signal as a
 * {@code [SIGNAL]} line, and completes a requested TLS handshake once the current input chunk
 * has been handled, as a real connection would.
 */
final class Transcript implements SessionOutput {

    static final TlsInfo TLS = new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256");

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean tlsRequested;
    boolean closed;

    @Override
    public void send(Reply reply) {
        bytes.writeBytes(reply.toWire());
    }

    @Override
    public void signal(Signal signal) {
        bytes.writeBytes(("[" + signal + "]\r\n").getBytes(StandardCharsets.US_ASCII));
        tlsRequested |= signal == Signal.START_TLS;
        closed |= signal == Signal.CLOSE;
    }

    /** Feeds one chunk, then finishes a pending TLS handshake. */
    void feed(ServerSession session, byte[] chunk) {
        session.receive(chunk);
        if (tlsRequested) {
            tlsRequested = false;
            session.tlsStarted(TLS);
        }
    }

    /** Server bytes, then one block per queued message, then the abort count. */
    String render(FakePolicy policy) {
        var out = new StringBuilder(bytes.toString(StandardCharsets.UTF_8));
        for (FakePolicy.Received message : policy.queued) {
            Envelope e = message.envelope();
            out.append("=== ").append(message.queueId()).append(' ').append(e.transfer()).append(' ')
                    .append(e.protocol()).append('\n');
            out.append("helo: ").append(e.heloName()).append('\n');
            out.append("from: ").append(e.sender()).append(mailParameters(e)).append('\n');
            for (AcceptedRecipient r : e.recipients()) {
                out.append("to: ").append(r.path()).append(rcptParameters(r.parameters())).append('\n');
            }
            out.append("auth: ").append(e.authIdentity()).append('\n');
            out.append("tls: ").append(e.tls() == null ? "none" : e.tls().protocol()).append('\n');
            out.append("body: ").append(GoldenFiles.escape(message.body())).append('\n');
        }
        out.append("=== opened ").append(policy.opened).append(", queued ").append(policy.queued.size())
                .append(", aborted ").append(policy.aborted).append('\n');
        return out.toString();
    }

    private static String mailParameters(Envelope e) {
        var p = e.mailParameters();
        return (p.size() == null ? "" : " size=" + p.size()) + (p.body() == null ? "" : " body=" + p.body().keyword())
                + (p.smtpUtf8() ? " smtputf8" : "") + (p.ret() == null ? "" : " ret=" + p.ret())
                + (p.envId() == null ? "" : " envid=" + p.envId()) + (p.auth() == null ? "" : " auth=" + p.auth());
    }

    private static String rcptParameters(RcptParameters p) {
        return (p.notifyOn().isEmpty() ? "" : " notify=" + p.notifyOn().stream().sorted().map(Enum::name)
                .collect(Collectors.joining(","))) + (p.orcpt() == null ? "" : " orcpt=" + p.orcpt().toParameter());
    }
}
