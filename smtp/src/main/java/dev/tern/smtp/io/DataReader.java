package dev.tern.smtp.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Streaming decoder of a DATA body (RFC 5321 §4.1.1.4, §4.5.2): removes dot-stuffing, finds the
 * end-of-data mark, and emits the message in chunks as it arrives.
 *
 * <p><b>End of data</b> is only CRLF "." CRLF, where the leading CRLF may be the start of the
 * body (an immediate ".CRLF" is an empty message). Nothing else ends the message: not LF "." LF,
 * not CR "." CR, not CRLF "." LF, not LF "." CRLF nor any other mix. That is the fix for SMTP
 * smuggling (Postfix, Sendmail and Exchange advisories of December 2023): if we ended the
 * message where a downstream server does not, or the reverse, an attacker could hide a second,
 * spoofed message inside the first.
 *
 * <p><b>Dot-unstuffing</b> removes the first "." of a line that starts with "." after a real CRLF.
 * Dots after a bare CR or LF are left alone: those are not line starts here.
 *
 * <p><b>Bare CR/LF</b> are written as CRLF and recorded; with {@link BareNewlinePolicy#REJECT}
 * emission stops at the first one and {@link DataSummary#rejection()} says 550 5.5.2 once the
 * real end has been read. <b>Size</b>: octets are counted after unstuffing; past
 * {@link DataOptions#maxOctets()} emission stops but scanning goes on to the end so that the
 * session stays in sync and can answer 552 5.3.4. Also counted: {@code Received:} header fields,
 * 8-bit octets.
 *
 * <p>Memory: one 8 KiB output buffer plus at most two held-back octets ("." and CR at a chunk
 * edge); the message itself is never accumulated. Each emitted chunk is a fresh array the
 * consumer owns. Not thread-safe: one reader per message.
 */
public final class DataReader {

    private static final int CHUNK = 8192;

    /** Where in a line the last consumed octet left us. */
    private enum State { LINE_START, DOT, DOT_CR, MIDDLE, CR }

    private final DataOptions options;
    private final Consumer<byte[]> consumer;
    private final HeaderScanner headers = new HeaderScanner();
    private final byte[] out = new byte[CHUNK];
    private int outLength;
    private State state = State.LINE_START;
    private long octets;
    private boolean bareNewlines;
    private boolean eightBit;
    private boolean done;

    /** A reader that hands body chunks to {@code consumer}. */
    public DataReader(DataOptions options, Consumer<byte[]> consumer) {
        this.options = Objects.requireNonNull(options, "options");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /**
     * Consumes bytes from {@code in}. Returns {@code true} when the end-of-data mark was read; the
     * buffer is then positioned right after it, so pipelined commands stay in the buffer.
     * Returns {@code false} when all of {@code in} was consumed without reaching the end.
     */
    public boolean feed(ByteBuffer in) {
        if (done) {
            throw new IllegalStateException("end of data already reached");
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.DOT;
                    } else {
                        middle(b);
                    }
                }
                case DOT -> {
                    if (b == '\r') {
                        state = State.DOT_CR;
                    } else if (b == '\n') {
                        // "." then bare LF: not an end; keep the dot, the line is not stuffed.
                        emit((byte) '.');
                        bareNewline();
                    } else {
                        // A stuffed line: drop the leading dot, keep the rest (RFC 5321 §4.5.2).
                        state = State.MIDDLE;
                        middle(b);
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        done = true;
                        flush();
                        return true;
                    }
                    emit((byte) '.');
                    bareNewline();
                    middle(b);
                }
                case MIDDLE -> middle(b);
                case CR -> {
                    if (b == '\n') {
                        emit((byte) '\r');
                        emit((byte) '\n');
                        state = State.LINE_START;
                    } else {
                        bareNewline();
                        middle(b);
                    }
                }
            }
        }
        flush();
        return false;
    }

    /** True once the end-of-data mark has been read. */
    public boolean isDone() {
        return done;
    }

    /** What was seen so far; final once {@link #isDone()}. */
    public DataSummary summary() {
        int received = headers.received();
        boolean reject = options.bareNewlines() == BareNewlinePolicy.REJECT;
        return new DataSummary(octets, octets > options.maxOctets(), bareNewlines, reject, received,
                received >= options.maxReceivedHeaders(), eightBit);
    }

    private void middle(byte b) {
        if (b == '\r') {
            state = State.CR;
        } else if (b == '\n') {
            bareNewline();
        } else {
            state = State.MIDDLE;
            emit(b);
        }
    }

    /** A bare CR or LF: written as CRLF, and it is not a line start for unstuffing or the end. */
    private void bareNewline() {
        bareNewlines = true;
        emit((byte) '\r');
        emit((byte) '\n');
        state = State.MIDDLE;
    }

    private void emit(byte b) {
        octets++;
        headers.accept(b);
        if (b < 0) {
            eightBit = true;
        }
        boolean rejected = bareNewlines && options.bareNewlines() == BareNewlinePolicy.REJECT;
        if (octets <= options.maxOctets() && !rejected) {
            out[outLength++] = b;
            if (outLength == out.length) {
                flush();
            }
        }
    }

    private void flush() {
        if (outLength > 0) {
            consumer.accept(Arrays.copyOf(out, outLength));
            outLength = 0;
        }
    }
}
