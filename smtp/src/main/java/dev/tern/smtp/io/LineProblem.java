package dev.tern.smtp.io;

import dev.tern.smtp.reply.Reply;

/**
 * Why a command line was refused before parsing, and the reply for it.
 *
 * <p>A command must end in CRLF (RFC 5321 §2.3.8) and be at most 512 octets including it
 * (§4.5.3.1.4); bare CR, bare LF (§2.3.8: "MUST NOT recognize" them as line endings) and NUL
 * are refused so that no two parsers along the way can disagree about where a line ends.
 */
public enum LineProblem {
    /**
     * Longer than the limit: {@code 500 5.5.2} ("500 Line too long", §4.5.3.1.10). Not 5.5.6,
     * which RFC 4954 §4 registers for a too-long SASL response only (see the AUTH handler).
     */
    TOO_LONG(Reply.of(500, "5.5.2", "Error: line too long")),
    /** Ended by LF without CR. */
    BARE_LF(Reply.of(501, "5.5.2", "Syntax error: bare <LF> received")),
    /** Contains CR not followed by LF. */
    BARE_CR(Reply.of(501, "5.5.2", "Syntax error: bare <CR> received")),
    /** Contains a NUL octet. */
    NUL(Reply.of(501, "5.5.2", "Syntax error: NUL character received"));

    private final Reply reply;

    LineProblem(Reply reply) {
        this.reply = reply;
    }

    public Reply reply() {
        return reply;
    }
}
