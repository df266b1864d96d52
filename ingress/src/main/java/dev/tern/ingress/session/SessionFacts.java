package dev.tern.ingress.session;

import java.net.InetAddress;

/**
 * What the ingress knows about a connection that the protocol session does not: who the client
 * is (after any PROXY protocol header) and which listener it came in on.
 *
 * @param client        the client's address
 * @param clientAddress the same in text form, as written in Received headers and envelopes
 * @param hostname      our own name
 * @param listener      {@code smtp}, {@code submission} or {@code smtps}
 */
public record SessionFacts(InetAddress client, String clientAddress, String hostname, String listener) {
}
