package dev.tern.smtp.io;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the octets of BDAT chunks (RFC 3030 §2): exactly the announced count, no dot-stuffing,
 * no end-of-data mark, no line-ending checks (BINARYMIME bodies are arbitrary octets).
 *
 * <p>One reader spans a whole transaction, so the size limit and the {@code Received:} count
 * cover all chunks together. Past {@link DataOptions#maxOctets()} octets are counted but not
 * emitted. A reader built with {@link #discarding()} consumes chunks of refused BDAT commands:
 * RFC 3030 §2 requires the server to read them anyway, or their content would be taken as
 * commands. Each emitted chunk is a fresh array the consumer owns. Not thread-safe.
 */
public final class BdatReader {

    private final DataOptions options;
    private final Consumer<byte[]> consumer;
    private final HeaderScanner headers = new HeaderScanner();
    private long remaining;
    private long octets;
    private boolean eightBit;

    public BdatReader(DataOptions options, Consumer<byte[]> consumer) {
        this.options = Objects.requireNonNull(options, "options");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** A reader that counts and drops everything. */
    public static BdatReader discarding() {
        return new BdatReader(new DataOptions(0, BareNewlinePolicy.NORMALIZE, Integer.MAX_VALUE), chunk -> { });
    }

    /** Expects {@code size} more octets (the argument of one BDAT command). */
    public void startChunk(long size) {
        if (remaining > 0) {
            throw new IllegalStateException(remaining + " octets of the previous chunk still unread");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative chunk size");
        }
        remaining = size;
    }

    /**
     * Consumes up to the rest of the current chunk from {@code in}; returns {@code true} when the
     * chunk is complete (at once for a zero-size chunk).
     */
    public boolean feed(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (n > 0) {
            byte[] piece = new byte[n];
            in.get(piece);
            long before = octets;
            octets += n;
            for (byte b : piece) {
                headers.accept(b);
                eightBit |= b < 0;
            }
            remaining -= n;
            if (octets <= options.maxOctets()) {
                consumer.accept(piece);
            } else if (before < options.maxOctets()) {
                consumer.accept(java.util.Arrays.copyOf(piece, (int) (options.maxOctets() - before)));
            }
        }
        return remaining == 0;
    }

    /** Octets still expected in the current chunk. */
    public long remaining() {
        return remaining;
    }

    public DataSummary summary() {
        int received = headers.received();
        return new DataSummary(octets, octets > options.maxOctets(), false, false, received,
                received >= options.maxReceivedHeaders(), eightBit);
    }
}
