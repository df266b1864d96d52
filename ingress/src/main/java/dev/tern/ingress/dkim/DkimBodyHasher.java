package dev.tern.ingress.dkim;

import dev.tern.ingress.dkim.DkimCanonicalizer.Canonicalization;
import java.security.MessageDigest;

/**
 * The body hash ({@code bh=}) of RFC 6376 §3.4.3/§3.4.4 computed incrementally: the body bytes
 * are fed as received (CRLF line ends, in any chunks) and canonicalised on the fly, so memory stays
 * constant however large the message. Trailing empty lines are only counted, and written out
 * when a later line has content. An {@code l=} limit caps the canonical bytes hashed.
 *
 * <p>Lines end at CRLF only; a bare CR or LF is line content, as in the signer's historic
 * behaviour and in dkimpy.
 */
public final class DkimBodyHasher {

    private static final byte[] CRLF = {'\r', '\n'};

    private final Canonicalization canonicalization;
    private final MessageDigest digest;
    private final long limit;
    private long hashed;
    private long canonicalLength;
    private long pendingEmptyLines;
    private boolean lineHasContent;
    private boolean pendingCr;
    private boolean pendingWsp;
    private final byte[] buffer = new byte[8192];
    private int buffered;

    /**
     * @param limit the {@code l=} value, or -1 to hash the whole canonical body
     */
    public DkimBodyHasher(Canonicalization canonicalization, MessageDigest digest, long limit) {
        this.canonicalization = canonicalization;
        this.digest = digest;
        this.limit = limit;
    }

    /** Feeds {@code length} body bytes of {@code bytes} from {@code offset}. */
    public void update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    endLine();
                    continue;
                }
                content((byte) '\r');
            }
            if (b == '\r') {
                pendingCr = true;
            } else {
                content(b);
            }
        }
    }

    /** The digest of the canonical body (limited to {@code l=}); the hasher is used up. */
    public byte[] finish() {
        if (pendingCr) {
            pendingCr = false;
            content((byte) '\r');
        }
        if (lineHasContent) {
            endLine(); // a missing final CRLF is added (§3.4.3, §3.4.4)
        }
        if (canonicalLength == 0 && canonicalization == Canonicalization.SIMPLE) {
            emit(CRLF, 0, 2); // an empty body is one CRLF in simple
        }
        flush();
        return digest.digest();
    }

    /** Length of the whole canonical body (ignoring {@code l=}), known after {@link #finish}. */
    public long canonicalLength() {
        return canonicalLength;
    }

    private void content(byte b) {
        if (canonicalization == Canonicalization.RELAXED && (b == ' ' || b == '\t')) {
            pendingWsp = true;
            return;
        }
        if (!lineHasContent) {
            lineHasContent = true;
            for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                emit(CRLF, 0, 2);
            }
        }
        if (pendingWsp) {
            pendingWsp = false;
            emitByte((byte) ' ');
        }
        emitByte(b);
    }

    private void endLine() {
        pendingWsp = false; // relaxed drops white space at line ends
        if (lineHasContent) {
            emit(CRLF, 0, 2);
            lineHasContent = false;
        } else {
            pendingEmptyLines++;
        }
    }

    private void emit(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            emitByte(bytes[i]);
        }
    }

    /** Buffers canonical bytes so the digest sees large updates, not one call per byte. */
    private void emitByte(byte b) {
        canonicalLength++;
        if (limit >= 0 && hashed >= limit) {
            return;
        }
        hashed++;
        buffer[buffered++] = b;
        if (buffered == buffer.length) {
            flush();
        }
    }

    private void flush() {
        digest.update(buffer, 0, buffered);
        buffered = 0;
    }
}
