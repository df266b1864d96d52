package dev.tern.smtp.client;

import dev.tern.smtp.reply.Reply;

/**
 * Replies the client synthesises when it decides an outcome itself instead of the server.
 *
 * <p>Codes and why they were chosen:
 * <ul>
 *   <li>{@code 552 5.3.4} message larger than the peer's SIZE (RFC 1870 §6, RFC 3463 X.3.4).</li>
 *   <li>{@code 554 5.6.3} 8-bit body for a peer without 8BITMIME: RFC 6152 §3 allows downgrading or
 *       bouncing; converting would break DKIM signatures and needs a MIME rewriter, so we bounce.</li>
 *   <li>{@code 553 5.6.7} SMTPUTF8 needed, peer lacks it (RFC 6531 §3.2 and §3.7.5).</li>
 *   <li>{@code 451 4.7.4} TLS required by policy but not offered or refused, as Postfix reports
 *       "TLS is required, but was not offered" (transient: the peer may be fixed).</li>
 *   <li>{@code 451 4.7.5} TLS handshake failed (RFC 3463 X.7.5 cryptographic failure).</li>
 *   <li>{@code 451 4.7.4} also when credentials are configured and the smarthost does not offer
 *       or refuses STARTTLS: they are never sent in clear.</li>
 *   <li>{@code 451 4.7.0} credentials configured but neither AUTH PLAIN nor LOGIN offered, or the
 *       channel is not encrypted; {@code 451 4.7.8} the smarthost rejected our credentials
 *       (typically {@code 535 5.7.8}). All transient, like Postfix's
 *       {@code smtp_sasl_auth_soft_bounce}: our misconfiguration must not bounce mail, and the
 *       operator can fix the credential.</li>
 *   <li>{@code 451 4.4.2} connection lost or timed out (RFC 3463 X.4.2 bad connection).</li>
 *   <li>{@code 451 4.5.0} the server broke the protocol (malformed or unexpected reply).</li>
 * </ul>
 * Stateless.
 */
public final class LocalReplies {

    private LocalReplies() {
    }

    public static Reply messageTooBig(long size, long limit) {
        return Reply.of(552, "5.3.4", "Message size " + size + " exceeds the remote server's limit of " + limit + " octets");
    }

    public static Reply eightBitNotSupported() {
        return Reply.of(554, "5.6.3", "Message has 8-bit content but the remote server does not support 8BITMIME");
    }

    public static Reply smtpUtf8NotSupported() {
        return Reply.of(553, "5.6.7", "Message requires SMTPUTF8 but the remote server does not support it");
    }

    public static Reply tlsNotOffered() {
        return Reply.of(451, "4.7.4", "TLS is required, but was not offered by the remote server");
    }

    public static Reply tlsRefused(Reply reply) {
        return Reply.of(451, "4.7.4", "TLS is required, but the remote server refused STARTTLS: " + reply);
    }

    public static Reply tlsFailed(String reason) {
        return Reply.of(451, "4.7.5", "TLS handshake failed: " + oneLine(reason));
    }

    public static Reply tlsNotOfferedForAuth() {
        return Reply.of(451, "4.7.4", "Smarthost does not offer STARTTLS; refusing to send credentials in clear");
    }

    public static Reply tlsRefusedForAuth(Reply reply) {
        return Reply.of(451, "4.7.4", "Smarthost refused STARTTLS (" + reply
                + "); refusing to send credentials in clear");
    }

    public static Reply authUnavailable(String why) {
        return Reply.of(451, "4.7.0", "Cannot authenticate to the smarthost: " + oneLine(why));
    }

    public static Reply authRejected(Reply reply) {
        return Reply.of(451, "4.7.8", "Smarthost authentication failed: " + reply);
    }

    public static Reply connectionLost() {
        return Reply.of(451, "4.4.2", "Lost connection with the remote server");
    }

    public static Reply timedOut() {
        return Reply.of(451, "4.4.2", "Timed out waiting for the remote server");
    }

    public static Reply protocolError(String detail) {
        return Reply.of(451, "4.5.0", "Protocol error from the remote server: " + oneLine(detail));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
    }
}
