/**
 * Connection reputation from DNS lists (RFC 5782): {@link dev.tern.ingress.trust.dnsbl.DnsblChecker}
 * asks every zone of the policy's {@code checks.dnsbl} about the client address at once and sums
 * the weights of the zones that list it; allow lists carry negative weights. Only answers in
 * 127.0.0.0/8 count, never the lists' "query refused" codes, and a list that cannot be asked
 * counts as not listing: a third party's outage or quota must never refuse our clients. The
 * verdict names the zones that failed or refused so they can be counted.
 */
package dev.tern.ingress.trust.dnsbl;
