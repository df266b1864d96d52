package dev.tern.smtp.io;

import dev.tern.smtp.reply.Reply;
import java.util.Optional;

/**
 * What a body reader saw, for the final reply and for logs and metrics.
 *
 * @param octets              body size after dot-unstuffing (and normalising), counted even
 *                            past the size limit
 * @param sizeExceeded        more than {@link DataOptions#maxOctets()} octets
 * @param bareNewlines        a bare CR or LF was seen (DATA only)
 * @param rejectBareNewlines  ...and the policy is {@link BareNewlinePolicy#REJECT}
 * @param receivedHeaders     {@code Received:} fields in the header section
 * @param tooManyHops         {@code receivedHeaders >= maxReceivedHeaders}
 * @param eightBit            an octet above 127 was seen
 */
public record DataSummary(long octets, boolean sizeExceeded, boolean bareNewlines, boolean rejectBareNewlines,
                          int receivedHeaders, boolean tooManyHops, boolean eightBit) {

    /**
     * The reply refusing the message, empty when the body passed every check. Size comes first
     * (the client can do something about it), then bare newlines, then the mail loop.
     */
    public Optional<Reply> rejection() {
        if (sizeExceeded) {
            return Optional.of(Reply.of(552, "5.3.4", "Error: message size exceeds fixed limit"));
        }
        if (bareNewlines && rejectBareNewlines) {
            // 5.5.2 (syntax error) as Postfix's smtpd_forbid_bare_newline: 5.6.11, which some
            // servers send, is not in the IANA registry of enhanced status codes.
            return Optional.of(Reply.of(550, "5.5.2", "Error: bare <CR> or <LF> in message; use CRLF line endings"));
        }
        if (tooManyHops) {
            return Optional.of(Reply.of(554, "5.4.6", "Error: too many hops (mail loop?)"));
        }
        return Optional.empty();
    }
}
