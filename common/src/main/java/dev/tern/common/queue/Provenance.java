package dev.tern.common.queue;

import dev.tern.smtp.server.TlsInfo;

/**
 * Where a queued message came from: the session that handed it to ingress, or the service that
 * made it (a DSN). Informational: delivery never decides anything on it.
 *
 * @param clientIp     the SMTP client's address, or null for mail Tern made itself
 * @param helo         the HELO/EHLO name the client gave (our own name for notices), or null
 * @param tls          TLS parameters of the receiving session, or null
 * @param authIdentity the SMTP AUTH identity, or null
 */
public record Provenance(String clientIp, String helo, TlsInfo tls, String authIdentity) {

    /** Nothing known. */
    public static final Provenance NONE = new Provenance(null, null, null, null);

    /** A message Tern wrote itself (a DSN) on the host called {@code hostname}. */
    public static Provenance local(String hostname) {
        return new Provenance(null, hostname, null, null);
    }
}
