package dev.tern.ingress.trust.spf;

import dev.tern.common.policy.Cidr;
import java.util.List;

/**
 * One parsed SPF record (RFC 7208 §4.6, §5, §6): its directives in order, and the
 * {@code redirect=} and {@code exp=} modifiers (null when absent; unknown modifiers are dropped,
 * §6). Domain specs are kept unexpanded: macros depend on the check (§7).
 */
record SpfRecord(List<Directive> directives, String redirect, String explanation) {

    /** Mechanism names (§5). */
    enum Kind { ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS }

    /**
     * A qualifier and a mechanism. {@code domainSpec} is null when the mechanism names no domain
     * (the current domain is meant); {@code network} is set for ip4/ip6 only; the prefix
     * lengths are those of {@code a} and {@code mx} ({@code /32} and {@code //128} by default).
     */
    record Directive(char qualifier, Kind kind, String domainSpec, Cidr network, int prefix4, int prefix6) {

        /** Whether evaluating it costs one of the ten DNS lookups (§4.6.4). */
        boolean countsAsLookup() {
            return kind == Kind.INCLUDE || kind == Kind.A || kind == Kind.MX || kind == Kind.PTR
                    || kind == Kind.EXISTS;
        }
    }
}
