/**
 * Greylisting (policy {@code checks.greylisting}): the first attempt of a (client network,
 * sender, recipient) triplet is deferred, a retry after the delay passes, and the triplet then
 * passes at once for the pass lifetime. {@link dev.tern.ingress.trust.greylist.Greylist} decides
 * with {@link dev.tern.ingress.trust.greylist.GreylistRules} over a shared
 * {@link dev.tern.ingress.trust.greylist.GreylistStore} (Infinispan in production, in memory for
 * tests; one contract test), so a retry that reaches another ingress pod passes. Times come from
 * an injected clock and are stored in the values; the store's expiry only cleans up. When the
 * store is unreachable mail passes: our own outage must not defer everybody's mail.
 */
package dev.tern.ingress.trust.greylist;
