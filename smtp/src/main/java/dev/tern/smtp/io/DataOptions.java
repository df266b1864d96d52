package dev.tern.smtp.io;

import java.util.Objects;

/**
 * Limits applied while a message body is read.
 *
 * @param maxOctets          largest accepted body (after dot-unstuffing), RFC 1870; past it the
 *                           reader stops emitting and the message gets {@code 552 5.3.4}
 * @param bareNewlines       see {@link BareNewlinePolicy}; BDAT ignores it
 * @param maxReceivedHeaders {@code Received:} count at which the message is taken to loop
 *                           ({@code 554 5.4.6}, RFC 5321 §6.3); Postfix's {@code hopcount_limit}
 */
public record DataOptions(long maxOctets, BareNewlinePolicy bareNewlines, int maxReceivedHeaders) {

    /** 50 MiB (the queue's default record size), bare newlines rejected, 50 hops. */
    public static final DataOptions DEFAULTS = new DataOptions(50L * 1024 * 1024, BareNewlinePolicy.REJECT, 50);

    public DataOptions {
        Objects.requireNonNull(bareNewlines, "bareNewlines");
        if (maxOctets < 0 || maxReceivedHeaders < 1) {
            throw new IllegalArgumentException("maxOctets must be >= 0 and maxReceivedHeaders >= 1");
        }
    }
}
