package dev.tern.smtp.client;

import java.util.Objects;

/**
 * How {@link ClientHandshake} opens a session.
 *
 * <p>With {@code credentials}, STARTTLS is required whatever {@code tlsPolicy} says (unless
 * {@code implicitTls}): credentials are never sent over an unencrypted channel. {@code tlsPolicy}
 * still tells the driver how strictly to verify the certificate. {@link #toString()} hides the
 * password ({@link ClientCredentials}).
 *
 * @param heloName    our name for EHLO/LHLO/HELO (RFC 5321 §4.1.1.1: the FQDN of this host)
 * @param tlsPolicy   STARTTLS policy; ignored when {@code implicitTls}
 * @param implicitTls the socket is already TLS (port 465, RFC 8314): no STARTTLS
 * @param lmtp        speak LMTP: LHLO, never HELO (RFC 2033 §4.1)
 * @param credentials AUTH for a smarthost after TLS and the second EHLO, or {@code null} for no AUTH
 */
public record HandshakeConfig(String heloName, TlsPolicy tlsPolicy, boolean implicitTls, boolean lmtp,
                              ClientCredentials credentials) {

    public HandshakeConfig {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
    }

    /** SMTP to an MX: opportunistic STARTTLS, no AUTH. */
    public static HandshakeConfig smtp(String heloName, TlsPolicy tlsPolicy) {
        return new HandshakeConfig(heloName, tlsPolicy, false, false, null);
    }

    /** LMTP to a mailbox server. */
    public static HandshakeConfig lmtp(String heloName, TlsPolicy tlsPolicy) {
        return new HandshakeConfig(heloName, tlsPolicy, false, true, null);
    }

    public HandshakeConfig withCredentials(ClientCredentials value) {
        return new HandshakeConfig(heloName, tlsPolicy, implicitTls, lmtp, value);
    }

    public HandshakeConfig withImplicitTls() {
        return new HandshakeConfig(heloName, tlsPolicy, true, lmtp, credentials);
    }

    /** Whether the session authenticates (and so must be encrypted first). */
    public boolean authenticates() {
        return credentials != null;
    }
}
