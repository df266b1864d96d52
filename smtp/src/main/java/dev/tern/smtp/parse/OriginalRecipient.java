package dev.tern.smtp.parse;

import java.util.Objects;

/**
 * The {@code ORCPT=addr-type;xtext} RCPT parameter (RFC 3461 §4.2): the recipient address as the
 * original sender gave it, carried along so that DSNs can name it.
 *
 * @param addressType the addr-type as sent, usually {@code rfc822} (or {@code utf-8}, RFC 6533)
 * @param address     the xtext-decoded address
 */
public record OriginalRecipient(String addressType, String address) {

    public OriginalRecipient {
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(address, "address");
    }

    /** The parameter value to relay: {@code addr-type;xtext}. */
    public String toParameter() {
        return addressType + ";" + Xtext.encode(address);
    }
}
