package dev.tern.ingress.trust.spf;

import java.net.InetAddress;
import java.time.Instant;

/**
 * The inputs of one SPF check (RFC 7208 §4.1): the client's address, the sender ({@code
 * local@domain}; for a HELO check {@code postmaster@helo}), the HELO name, the receiving host's
 * name (macro {@code %{r}}) and the time (macro {@code %{t}}).
 */
record SpfCheck(InetAddress ip, String sender, String helo, String receiver, Instant now) {

    String localPart() {
        int at = sender.lastIndexOf('@');
        return at <= 0 ? "postmaster" : sender.substring(0, at);
    }

    String senderDomain() {
        int at = sender.lastIndexOf('@');
        return at < 0 ? sender : sender.substring(at + 1);
    }
}
