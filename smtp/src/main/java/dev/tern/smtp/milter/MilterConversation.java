package dev.tern.smtp.milter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The MTA side of one message's milter conversation, free of I/O: it says which bytes to write,
 * is fed the milter's decoded responses, and ends with a {@link MilterVerdict}.
 *
 * <p>The message is replayed as the milter would have seen it live: CONNECT, HELO, MAIL, each
 * RCPT, DATA, the header fields, end of headers, the body in chunks, end of body, each preceded by
 * its macros. Steps the milter switched off are not sent; steps it made reply-less are written
 * together with the next one that awaits an answer. Any verdict other than continue before end of
 * body ends the message (a reject at RCPT refuses the message, since the recipients were accepted
 * long ago); after end of body the milter sends its modifications, then its verdict.
 *
 * <p>Use: write {@link #start()}, feed every response to {@link #receive} and write what it
 * returns, until {@link #verdict()} is set; then write {@link #finish()}, which leaves the
 * connection ready for the next message (QUIT_NC: a new session follows on the same socket).
 */
public final class MilterConversation {

    private enum Stage {
        CONNECT, HELO, MAIL, RCPT, DATA, HEADER, EOH, BODY, EOB
    }

    private record Step(Stage stage, byte[] bytes, boolean awaitsReply) {
    }

    private final Negotiated negotiated;
    private final Deque<Step> steps = new ArrayDeque<>();
    private final List<MilterResponse.Modification> modifications = new ArrayList<>();
    private Step awaiting;
    private MilterVerdict verdict;

    public MilterConversation(Negotiated negotiated, MilterTransaction t) {
        this.negotiated = negotiated;
        var n = negotiated;
        var macros = t.macros();
        add(Stage.CONNECT, MilterProtocol.CMD_CONNECT, macros, n.sends(MilterProtocol.P_NOCONNECT),
                n.awaitsReply(MilterProtocol.P_NR_CONN),
                MilterCommands.connect(t.clientName(), t.clientAddress(), t.clientPort()));
        add(Stage.HELO, MilterProtocol.CMD_HELO, macros, n.sends(MilterProtocol.P_NOHELO),
                n.awaitsReply(MilterProtocol.P_NR_HELO), MilterCommands.helo(t.helo()));
        add(Stage.MAIL, MilterProtocol.CMD_MAIL, macros, n.sends(MilterProtocol.P_NOMAIL),
                n.awaitsReply(MilterProtocol.P_NR_MAIL), MilterCommands.mail(t.sender(), t.mailParameters()));
        for (String rcpt : t.recipients()) {
            add(Stage.RCPT, MilterProtocol.CMD_RCPT, macros, n.sends(MilterProtocol.P_NORCPT),
                    n.awaitsReply(MilterProtocol.P_NR_RCPT), MilterCommands.rcpt(rcpt, List.of()));
        }
        add(Stage.DATA, MilterProtocol.CMD_DATA, macros, n.version() >= 4 && n.sends(MilterProtocol.P_NODATA),
                n.awaitsReply(MilterProtocol.P_NR_DATA), MilterCommands.data());
        HeaderFields head = HeaderFields.parse(t.message());
        if (n.sends(MilterProtocol.P_NOHDRS)) {
            for (var f : head.fields()) {
                steps.add(new Step(Stage.HEADER, MilterCommands.header(f.name(), headerValue(f.value())),
                        n.awaitsReply(MilterProtocol.P_NR_HDR)));
            }
        }
        add(Stage.EOH, MilterProtocol.CMD_EOH, macros, n.sends(MilterProtocol.P_NOEOH),
                n.awaitsReply(MilterProtocol.P_NR_EOH), MilterCommands.endOfHeaders());
        if (n.sends(MilterProtocol.P_NOBODY)) {
            byte[] body = new byte[t.message().length - head.bodyStart()];
            System.arraycopy(t.message(), head.bodyStart(), body, 0, body.length);
            for (byte[] chunk : MilterCommands.body(body)) {
                steps.add(new Step(Stage.BODY, chunk, n.awaitsReply(MilterProtocol.P_NR_BODY)));
            }
        }
        add(Stage.EOB, MilterProtocol.CMD_BODYEOB, macros, true, true, MilterCommands.endOfBody());
    }

    /** libmilter hands values without their leading space and with LF folds, unless asked otherwise. */
    private String headerValue(String value) {
        String v = value.replace("\r\n", "\n");
        if (!negotiated.leadingSpace() && v.startsWith(" ")) {
            v = v.substring(1);
        }
        return v;
    }

    private void add(Stage stage, char command, Map<Character, Map<String, String>> macros, boolean sent,
            boolean awaitsReply, byte[] bytes) {
        if (!sent) {
            return;
        }
        Map<String, String> m = macros.get(command);
        if (m != null && !m.isEmpty()) {
            steps.add(new Step(stage, MilterCommands.macros(command, m), false));
        }
        steps.add(new Step(stage, bytes, awaitsReply));
    }

    /** The first bytes to write. */
    public byte[] start() {
        return advance();
    }

    /** The verdict once the conversation has one, else null. */
    public MilterVerdict verdict() {
        return verdict;
    }

    /** Takes one response; returns what to write next (often nothing). */
    public byte[] receive(MilterResponse response) {
        if (verdict != null || awaiting == null) {
            throw new MilterProtocolException("unexpected response " + response.getClass().getSimpleName());
        }
        Stage stage = awaiting.stage();
        if (response instanceof MilterResponse.Modification mod) {
            if (stage != Stage.EOB) {
                throw new MilterProtocolException("modification " + mod.getClass().getSimpleName() + " before end of body");
            }
            modifications.add(mod);
            return new byte[0];
        }
        if (response instanceof MilterResponse.Progress) {
            return new byte[0];
        }
        if (response instanceof MilterResponse.Continue) {
            if (stage == Stage.EOB) {
                return end(MilterVerdict.Kind.PASS, null);
            }
            return advance();
        }
        if (response instanceof MilterResponse.Skip) {
            if (stage != Stage.BODY) {
                throw new MilterProtocolException("SKIP outside the body");
            }
            steps.removeIf(s -> s.stage() == Stage.BODY);
            return advance();
        }
        if (response instanceof MilterResponse.Accept) {
            return end(MilterVerdict.Kind.PASS, null);
        }
        if (response instanceof MilterResponse.Reject) {
            return end(MilterVerdict.Kind.REJECT, null);
        }
        if (response instanceof MilterResponse.Tempfail) {
            return end(MilterVerdict.Kind.TEMPFAIL, null);
        }
        if (response instanceof MilterResponse.Discard) {
            return end(MilterVerdict.Kind.DISCARD, null);
        }
        if (response instanceof MilterResponse.ReplyCode r) {
            char first = r.text().isEmpty() ? '?' : r.text().charAt(0);
            if (first != '4' && first != '5') {
                throw new MilterProtocolException("reply code must be 4xx or 5xx: " + r.text());
            }
            return end(first == '4' ? MilterVerdict.Kind.TEMPFAIL : MilterVerdict.Kind.REJECT, r.text());
        }
        throw new MilterProtocolException("unexpected response " + response);
    }

    /**
     * What ends this message's session so the connection can carry the next: ABORT when the milter
     * ended it before end of body, then QUIT_NC.
     */
    public byte[] finish() {
        var out = new ByteArrayOutputStream();
        if (awaiting == null || awaiting.stage() != Stage.EOB) {
            out.writeBytes(MilterCommands.abort());
        }
        out.writeBytes(MilterCommands.quitNewConnection());
        return out.toByteArray();
    }

    private byte[] end(MilterVerdict.Kind kind, String reply) {
        verdict = new MilterVerdict(kind, reply, kind == MilterVerdict.Kind.PASS ? modifications : List.of(),
                negotiated.leadingSpace());
        return new byte[0];
    }

    private byte[] advance() {
        var out = new ByteArrayOutputStream();
        while (!steps.isEmpty()) {
            Step s = steps.poll();
            out.writeBytes(s.bytes());
            if (s.awaitsReply()) {
                awaiting = s;
                return out.toByteArray();
            }
        }
        throw new IllegalStateException("end of body always awaits a reply");
    }
}
