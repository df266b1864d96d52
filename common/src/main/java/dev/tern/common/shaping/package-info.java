/**
 * Cluster-wide traffic shaping state: message rates ({@link dev.tern.common.shaping.RateLimiter}),
 * concurrent connections ({@link dev.tern.common.shaping.ConnectionLeases}) and adaptive backoff
 * ({@link dev.tern.common.shaping.Backoff}) per destination key, held in Infinispan so that a
 * limit such as "50/s and 10 connections to gmail.com" holds however many delivery pods run
 * (docs/ARCHITECTURE.md, "Traffic shaping"; issue 6).
 *
 * <p>Each concern is one interface with an in-memory implementation (exact, used by unit tests
 * and as the local fallback) and an Infinispan one (Hot Rod compare-and-set, entries with a
 * lifespan so a dead pod's state expires by itself); both pass the same contract test. The
 * {@code Fallback*} decorators switch to the in-memory implementation with the limits divided by
 * the number of live pods while Infinispan is unreachable, and back when it answers again.
 *
 * <p>Rates use GCRA (the generic cell rate algorithm, as in KumoMTA's throttle crate and
 * redis-cell): one number per key, the theoretical arrival time (TAT) of the next token. It
 * needs no timer, no refill job and no per-token state, and changing the configured rate takes
 * effect on the next call because the TAT is an absolute time, not a count.
 */
package dev.tern.common.shaping;
