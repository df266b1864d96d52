package dev.tern.smtp.client;

import java.io.ByteArrayOutputStream;

/**
 * Streaming encoder from raw RFC 5322 message bytes to the DATA wire form (RFC 5321 §4.5.2).
 *
 * <p>Per line: a leading {@code .} is doubled. Line endings are normalised: CRLF stays, a bare LF
 * or a bare CR becomes CRLF, so the output never contains the {@code <LF>.<LF>}-style sequences that
 * SMTP smuggling relies on (a receiver that accepts a bare line ending as end-of-data would otherwise
 * see a message boundary we did not intend). {@link #finish()} adds a CRLF if the content did not end
 * with one, then the terminating {@code .CRLF}.
 *
 * <p>Chunks may split the input anywhere, including between CR and LF; the state carried between
 * chunks is two booleans, and each chunk's output is at most twice its size. Lines longer than 998
 * octets are passed through unchanged: folding would alter signed content. Not thread-safe; one
 * instance per message.
 */
public final class DotStuffer {

    private static final byte[] TERMINATOR = {'.', '\r', '\n'};

    private boolean atLineStart = true;
    /** The previous chunk ended in CR whose LF, if any, is still to come. */
    private boolean pendingCr;
    private boolean finished;

    /** The complete wire form of {@code message}, terminator included. */
    public static byte[] encodeAll(byte[] message) {
        var stuffer = new DotStuffer();
        var out = new ByteArrayOutputStream(message.length + message.length / 64 + 8);
        out.writeBytes(stuffer.encode(message));
        out.writeBytes(stuffer.finish());
        return out.toByteArray();
    }

    public byte[] encode(byte[] chunk) {
        return encode(chunk, 0, chunk.length);
    }

    public byte[] encode(byte[] chunk, int offset, int len) {
        if (finished) {
            throw new IllegalStateException("encode after finish");
        }
        var out = new ByteArrayOutputStream(len + len / 32 + 4);
        for (int i = offset; i < offset + len; i++) {
            byte b = chunk[i];
            if (pendingCr) {
                pendingCr = false;
                out.write('\r');
                out.write('\n');
                atLineStart = true;
                if (b == '\n') {
                    continue; // the CR's own LF
                }
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
                atLineStart = true;
            } else {
                if (atLineStart && b == '.') {
                    out.write('.');
                }
                out.write(b);
                atLineStart = false;
            }
        }
        return out.toByteArray();
    }

    /** The final line ending if one is missing, then {@code .CRLF}. */
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        finished = true;
        if (pendingCr || !atLineStart) {
            return new byte[] {'\r', '\n', '.', '\r', '\n'};
        }
        return TERMINATOR.clone();
    }
}
