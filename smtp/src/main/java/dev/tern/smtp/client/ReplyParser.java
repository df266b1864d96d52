package dev.tern.smtp.client;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser of server replies: byte chunks in, complete {@link Reply} objects out.
 *
 * <p>Implements the reply grammar of RFC 5321 §4.2 ({@code Reply-code [ "-" / SP ] textstring CRLF},
 * code digits {@code [2-5][0-5][0-9]}) including multi-line replies (§4.2.1), and extracts the RFC 3463
 * enhanced status code that RFC 2034 §4 puts at the start of the text: always when the server
 * advertised ENHANCEDSTATUSCODES (its class is then forced to match the reply code, as Postfix does),
 * otherwise only when the text starts with a code whose class already matches. The code is stripped
 * from every line that repeats it.
 *
 * <p>Tolerance and bounds: a bare LF ends a line just like CRLF (sloppy servers exist and this is the
 * receiving side, where it cannot smuggle anything). Lines longer than {@code maxLineLength} octets or
 * replies of more than {@code maxLines} lines are protocol errors, so a hostile server cannot make us
 * buffer without limit; memory is one line buffer plus one reply. Invalid UTF-8 in the text is replaced,
 * never rejected.
 *
 * <p>Failure: any violation throws {@link SmtpProtocolException}; the parser then stays failed and
 * every later {@code feed} throws the same exception. Not thread-safe: one parser per connection,
 * driven from that connection's I/O thread.
 */
public final class ReplyParser {

    /** Far above RFC 5321 §4.5.3.1.5's 512 octets: real servers exceed it, none needs 4 KiB. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
    /** Large EHLO replies have about 20 lines; a hundred is plenty. */
    public static final int DEFAULT_MAX_LINES = 100;

    private final int maxLineLength;
    private final int maxLines;
    private final byte[] line;
    private int lineLength;
    private boolean enhancedStatusCodes;

    private int replyCode = -1;
    private final List<String> replyLines = new ArrayList<>();
    private SmtpProtocolException failure;

    public ReplyParser() {
        this(DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LINES);
    }

    public ReplyParser(int maxLineLength, int maxLines) {
        if (maxLineLength < 3 || maxLines < 1) {
            throw new IllegalArgumentException("limits too small");
        }
        this.maxLineLength = maxLineLength;
        this.maxLines = maxLines;
        // +1 for the CR that precedes LF and is not counted against the limit.
        this.line = new byte[maxLineLength + 1];
    }

    /** Call with {@code true} once the EHLO reply advertised ENHANCEDSTATUSCODES (RFC 2034 §3). */
    public void enhancedStatusCodes(boolean advertised) {
        this.enhancedStatusCodes = advertised;
    }

    public List<Reply> feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    /** Consumes {@code len} bytes and returns the replies they completed, possibly none. */
    public List<Reply> feed(byte[] chunk, int offset, int len) {
        if (failure != null) {
            throw failure;
        }
        List<Reply> replies = new ArrayList<>(1);
        for (int i = offset; i < offset + len; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                Reply reply = endOfLine();
                if (reply != null) {
                    replies.add(reply);
                }
            } else if (lineLength == line.length) {
                throw fail("reply line longer than " + maxLineLength + " octets");
            } else {
                line[lineLength++] = b;
            }
        }
        return replies;
    }

    /** True when bytes of an incomplete reply are buffered: EOF now means a truncated reply. */
    public boolean hasPartialReply() {
        return lineLength > 0 || replyCode >= 0;
    }

    private Reply endOfLine() {
        int end = lineLength;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        lineLength = 0;
        if (end > maxLineLength) {
            throw fail("reply line longer than " + maxLineLength + " octets");
        }
        if (end < 3 || !isCode(line)) {
            throw fail("malformed reply line: " + printable(line, end));
        }
        boolean last;
        if (end == 3 || line[3] == ' ') {
            last = true;
        } else if (line[3] == '-') {
            last = false;
        } else {
            throw fail("malformed reply line: " + printable(line, end));
        }
        for (int i = 0; i < end; i++) {
            if (line[i] == '\r' || line[i] == 0) {
                throw fail("reply line contains CR or NUL: " + printable(line, end));
            }
        }
        int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (replyCode >= 0 && code != replyCode) {
            throw fail("reply code changed from " + replyCode + " to " + code + " within a multi-line reply");
        }
        if (replyLines.size() == maxLines) {
            throw fail("reply longer than " + maxLines + " lines");
        }
        replyCode = code;
        replyLines.add(end > 4 ? new String(line, 4, end - 4, StandardCharsets.UTF_8) : "");
        if (!last) {
            return null;
        }
        Reply reply = build(code, replyLines);
        replyCode = -1;
        replyLines.clear();
        return reply;
    }

    private Reply build(int code, List<String> lines) {
        EnhancedStatus status = enhancedStatus(code, lines.get(0));
        if (status == null) {
            return new Reply(code, null, lines);
        }
        String token = firstToken(lines.get(0));
        List<String> stripped = new ArrayList<>(lines.size());
        for (String text : lines) {
            stripped.add(token.equals(firstToken(text)) ? text.substring(Math.min(text.length(), token.length() + 1)) : text);
        }
        return new Reply(code, status, stripped);
    }

    private EnhancedStatus enhancedStatus(int code, String text) {
        int codeClass = code / 100;
        if (codeClass == 3 || !EnhancedStatus.startsWithStatus(text)) {
            return null;
        }
        EnhancedStatus status = EnhancedStatus.parse(firstToken(text));
        if (status.statusClass() == codeClass) {
            return status;
        }
        // RFC 3463 §3.1: the class must agree with the reply code; trust the reply code.
        return enhancedStatusCodes ? status.withClass(codeClass) : null;
    }

    private static String firstToken(String text) {
        int sp = text.indexOf(' ');
        return sp < 0 ? text : text.substring(0, sp);
    }

    private static boolean isCode(byte[] b) {
        return b[0] >= '2' && b[0] <= '5' && b[1] >= '0' && b[1] <= '5' && b[2] >= '0' && b[2] <= '9';
    }

    private SmtpProtocolException fail(String message) {
        failure = new SmtpProtocolException(message);
        return failure;
    }

    private static String printable(byte[] bytes, int len) {
        var out = new StringBuilder();
        for (int i = 0; i < Math.min(len, 80); i++) {
            int c = bytes[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02X", c));
            }
        }
        return len > 80 ? out + "..." : out.toString();
    }
}
