package dev.tern.smtp.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Plays a {@link DialogueScript} against a {@link ClientSession} the way a socket driver would and
 * writes a transcript: {@code C:} the exact bytes the client wrote (one line per CRLF, other control
 * octets escaped), {@code S:} what the server sent, {@code ==} the actions and final outcomes.
 */
final class DialogueRunner {

    private final DialogueScript script;
    private final StringBuilder transcript = new StringBuilder();
    private ClientSession session;
    private int nextMessage;
    private byte[] currentBody;

    DialogueRunner(DialogueScript script) {
        this.script = script;
    }

    String run() {
        session = new ClientSession(script.config);
        ClientAction action = session.start();
        while (true) {
            if (action instanceof ClientAction.Write write) {
                client(write.bytes());
                action = feed();
            } else if (action instanceof ClientAction.WriteBody) {
                client(DotStuffer.encodeAll(currentBody));
                action = feed();
            } else if (action == ClientAction.AWAIT) {
                action = feed();
            } else if (action instanceof ClientAction.StartTls) {
                DialogueScript.ServerItem next = script.server.peek();
                if (next != null && next.display().equals("S: <tls-fail>")) {
                    script.server.poll();
                    transcript.append("== TLS handshake fails\n");
                    action = session.tlsFailed("handshake alert");
                } else {
                    transcript.append("== TLS established\n");
                    action = session.tlsEstablished();
                }
            } else if (action instanceof ClientAction.Ready ready) {
                transcript.append("== ready tls=").append(session.tlsActive()).append(" caps=").append(ready.capabilities()).append('\n');
                action = next();
                if (action == null) {
                    break;
                }
            } else if (action instanceof ClientAction.TransactionDone done) {
                outcome(done.outcome());
                if (!done.outcome().connectionReusable()) {
                    break;
                }
                action = next();
                if (action == null) {
                    break;
                }
            } else if (action instanceof ClientAction.Close close) {
                transcript.append("== close ").append(close.reason()).append('\n');
                break;
            } else {
                throw new AssertionError(action);
            }
        }
        if (!script.server.isEmpty()) {
            transcript.append("== unused server lines: ").append(script.server.size()).append('\n');
        }
        return transcript.toString();
    }

    // Next message if any; otherwise let leftover server lines (an idle 421) reach the session.
    private ClientAction next() {
        if (nextMessage < script.messages.size()) {
            DialogueScript.Message message = script.messages.get(nextMessage++);
            currentBody = message.body();
            return session.send(message.envelope());
        }
        return script.server.isEmpty() ? null : feed();
    }

    private ClientAction feed() {
        DialogueScript.ServerItem item = script.server.poll();
        if (item == null) {
            throw new AssertionError("client awaits a reply but the script has none; transcript so far:\n" + transcript);
        }
        transcript.append(item.display()).append('\n');
        switch (item.display()) {
            case "S: <eof>":
                return session.connectionLost();
            case "S: <timeout>":
                return session.timedOut();
            default:
                return session.receive(item.bytes());
        }
    }

    private void client(byte[] bytes) {
        var line = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                transcript.append("C: ").append(line).append('\n');
                line.setLength(0);
                i++;
            } else if (c < 0x20 || c >= 0x7f || c == '\\') {
                line.append(c == '\\' ? "\\\\" : String.format("\\x%02X", c));
            } else {
                line.append((char) c);
            }
        }
        if (line.length() > 0) {
            transcript.append("C: ").append(line).append(" <no CRLF>\n");
        }
    }

    private void outcome(TransactionOutcome outcome) {
        transcript.append("== done reusable=").append(outcome.connectionReusable())
                .append(" dsnPassedOn=").append(outcome.dsnPassedOn()).append('\n');
        for (RecipientOutcome r : outcome.recipients()) {
            transcript.append("   ").append(r.recipient().address()).append(": ").append(r.phase()).append(' ')
                    .append(r.reply()).append('\n');
        }
        transcript.append("   message: ").append(outcome.messageReply()).append('\n');
    }

    static byte[] transcript(String inResource) {
        var script = DialogueScript.parse(GoldenFiles.readText(inResource));
        var out = new ByteArrayOutputStream();
        out.writeBytes(new DialogueRunner(script).run().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
