package dev.tern.smtp.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the command-phase byte stream into lines (RFC 5321 §2.3.8, §4.5.3.1.4).
 *
 * <p>Bytes arrive in arbitrary chunks, split anywhere; {@link #next} consumes from a buffer
 * exactly up to the end of one line, so the buffer's position afterwards tells the caller how
 * many bytes belonged to that line. That is what makes pipelining (RFC 2920) and the switch to
 * DATA, BDAT or TLS safe: the rest of the buffer is left for whoever reads next, or discarded by
 * the caller after STARTTLS (RFC 3207 §4.2; CVE-2011-0411 command injection).
 *
 * <p>Only CRLF ends a line. A bare LF ends it too, but as a refused line ({@link
 * LineProblem#BARE_LF}); a CR not followed by LF and a NUL spoil the line they are in. A line
 * over the limit is not buffered: the reader keeps at most {@code maxLineOctets - 2} bytes,
 * discards the rest up to the next line end, and then reports {@link LineProblem#TOO_LONG}, so
 * the reply comes in order with the other replies. Not thread-safe: one reader per connection.
 */
public final class CommandLineReader {

    /** RFC 5321 §4.5.3.1.4: 512 octets including CRLF. */
    public static final int DEFAULT_MAX_LINE_OCTETS = 512;

    private byte[] line;
    private int length;
    private boolean sawCr;
    private LineProblem problem;

    public CommandLineReader() {
        this(DEFAULT_MAX_LINE_OCTETS);
    }

    /** A reader refusing lines longer than {@code maxLineOctets} including CRLF. */
    public CommandLineReader(int maxLineOctets) {
        setMaxLineOctets(maxLineOctets);
    }

    /**
     * Changes the limit, e.g. to 12288 for SASL responses (RFC 4954 §4); applies to the line
     * being read too.
     */
    public void setMaxLineOctets(int maxLineOctets) {
        if (maxLineOctets < 3) {
            throw new IllegalArgumentException("line limit too small: " + maxLineOctets);
        }
        byte[] resized = new byte[maxLineOctets - 2];
        if (line != null) {
            System.arraycopy(line, 0, resized, 0, Math.min(length, resized.length));
            if (length > resized.length) {
                length = resized.length;
                problem = LineProblem.TOO_LONG;
            }
        }
        line = resized;
    }

    /**
     * Consumes bytes from {@code in} up to and including the end of the next line and returns
     * it, or consumes everything and returns {@code null} when no line ends in {@code in}.
     */
    public LineResult next(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (sawCr) {
                sawCr = false;
                if (b == '\n') {
                    return finish();
                }
                flag(LineProblem.BARE_CR);
                append((byte) '\r');
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                flag(LineProblem.BARE_LF);
                return finish();
            } else {
                if (b == 0) {
                    flag(LineProblem.NUL);
                }
                append(b);
            }
        }
        return null;
    }

    /** True when bytes of an unfinished line are buffered. */
    public boolean hasPartialLine() {
        return length > 0 || sawCr || problem != null;
    }

    /** Forgets any partial line, e.g. the plaintext that followed STARTTLS. */
    public void reset() {
        length = 0;
        sawCr = false;
        problem = null;
    }

    private void append(byte b) {
        if (length < line.length) {
            line[length++] = b;
        } else {
            // Keep reading to the line end, but do not keep the bytes.
            problem = LineProblem.TOO_LONG;
        }
    }

    private void flag(LineProblem found) {
        if (problem == null) {
            problem = found;
        }
    }

    private LineResult finish() {
        LineResult result = problem == null ? new LineResult.Line(Arrays.copyOf(line, length))
                : new LineResult.Refused(problem);
        reset();
        return result;
    }
}
