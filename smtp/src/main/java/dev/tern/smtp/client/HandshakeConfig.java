package dev.tern.smtp.client;

import java.util.Objects;

/**
 * How {@link ClientHandshake} opens a session.
 *
 * @param heloName      our name for EHLO/LHLO/HELO (RFC 5321 §4.1.1.1: the FQDN of this host)
 * @param tlsPolicy     STARTTLS policy; ignored when {@code implicitTls}
 * @param implicitTls   the socket is already TLS (port 465, RFC 8314): no STARTTLS
 * @param lmtp          speak LMTP: LHLO, never HELO (RFC 2033 §4.1)
 * @param username      AUTH PLAIN user for a smarthost, or {@code null} for no AUTH
 * @param password      AUTH PLAIN password, or {@code null}
 * @param authWithoutTls allow sending credentials over an unencrypted channel (default: refuse)
 */
public record HandshakeConfig(String heloName, TlsPolicy tlsPolicy, boolean implicitTls, boolean lmtp,
                              String username, String password, boolean authWithoutTls) {

    public HandshakeConfig {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
    }

    /** SMTP to an MX: opportunistic STARTTLS, no AUTH. */
    public static HandshakeConfig smtp(String heloName, TlsPolicy tlsPolicy) {
        return new HandshakeConfig(heloName, tlsPolicy, false, false, null, null, false);
    }

    /** LMTP to a mailbox server. */
    public static HandshakeConfig lmtp(String heloName, TlsPolicy tlsPolicy) {
        return new HandshakeConfig(heloName, tlsPolicy, false, true, null, null, false);
    }

    public HandshakeConfig withCredentials(String user, String pass) {
        return new HandshakeConfig(heloName, tlsPolicy, implicitTls, lmtp, user, pass, authWithoutTls);
    }

    public HandshakeConfig withImplicitTls() {
        return new HandshakeConfig(heloName, tlsPolicy, true, lmtp, username, password, authWithoutTls);
    }

    public HandshakeConfig withAuthWithoutTls() {
        return new HandshakeConfig(heloName, tlsPolicy, implicitTls, lmtp, username, password, true);
    }

    boolean authenticates() {
        return username != null;
    }
}
