package dev.tern.smtp.dsn;

import java.util.Objects;

/**
 * The ORCPT parameter of RFC 3461 §4.2: the address type (usually {@code rfc822}) and the address the
 * recipient had when the message entered the first DSN-aware MTA.
 *
 * <p>Held decoded; {@link #toParameter()} adds the xtext encoding for the wire, and the DSN's
 * {@code Original-Recipient} field (RFC 3464 §2.3.1) uses the decoded form. Immutable.
 */
public record OriginalRecipient(String addressType, String address) {

    public OriginalRecipient {
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(address, "address");
        if (addressType.isBlank() || addressType.contains(";") || !addressType.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("bad ORCPT address type: " + addressType);
        }
    }

    public static OriginalRecipient rfc822(String address) {
        return new OriginalRecipient("rfc822", address);
    }

    /** Parses the wire form {@code addr-type ";" xtext}, e.g. {@code rfc822;a+2Bb@example.org}. */
    public static OriginalRecipient parse(String parameter) {
        int semi = parameter.indexOf(';');
        if (semi <= 0) {
            throw new IllegalArgumentException("ORCPT needs addr-type;address: " + parameter);
        }
        return new OriginalRecipient(parameter.substring(0, semi), XText.decode(parameter.substring(semi + 1)));
    }

    /** The wire form for {@code RCPT TO:<...> ORCPT=...}. */
    public String toParameter() {
        return addressType + ";" + XText.encode(address);
    }
}
