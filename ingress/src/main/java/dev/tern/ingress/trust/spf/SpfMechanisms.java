package dev.tern.ingress.trust.spf;

import dev.tern.common.policy.Cidr;
import dev.tern.ingress.trust.spf.SpfRecord.Directive;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether one mechanism matches the client (RFC 7208 §5): {@code all}, {@code include} (a nested
 * check_host), {@code a}, {@code mx}, {@code ptr}, {@code ip4}, {@code ip6}, {@code exists}.
 * Lives for one directive of one check_host() call; DNS errors come back as failed stages
 * carrying an {@link SpfException}.
 */
final class SpfMechanisms {

    private final SpfChecker checker;
    private final SpfCheck check;
    private final SpfLookups lookups;
    private final String domain;
    private final boolean v6;

    SpfMechanisms(SpfChecker checker, SpfCheck check, SpfLookups lookups, String domain) {
        this.checker = checker;
        this.check = check;
        this.lookups = lookups;
        this.domain = domain;
        this.v6 = check.ip() instanceof Inet6Address;
    }

    CompletionStage<Boolean> matches(Directive d) {
        return switch (d.kind()) {
            case ALL -> SpfChecker.done(true);
            case IP4, IP6 -> SpfChecker.done(d.network().contains(check.ip()));
            case INCLUDE -> target(d).thenCompose(this::include);
            case A -> target(d).thenCompose(name -> addressMatch(name, d, true));
            case MX -> target(d).thenCompose(name -> mx(name, d));
            case PTR -> target(d).thenCompose(this::ptr);
            case EXISTS -> target(d).thenCompose(this::exists);
        };
    }

    private CompletionStage<String> target(Directive d) {
        return d.domainSpec() == null ? SpfChecker.done(domain)
                : checker.expandDomain(check, lookups, domain, d.domainSpec());
    }

    /** §5.2: pass matches; fail, softfail, neutral do not; none is a permerror; errors propagate. */
    private CompletionStage<Boolean> include(String target) {
        return checker.checkHost(check, lookups, target).thenApply(outcome -> switch (outcome.result()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case NONE -> throw SpfException.permerror("include:" + target + " has no SPF record");
            case TEMPERROR -> throw SpfException.temperror("include:" + target + " failed temporarily");
            case PERMERROR -> throw SpfException.permerror("include:" + target + " is broken");
        });
    }

    /** §5.3 (and each MX host of §5.4): the client is within the prefix of one of the name's addresses. */
    private CompletionStage<Boolean> addressMatch(String name, Directive d, boolean countVoid) {
        return lookups.addresses(name, v6).thenApply(addresses -> {
            if (countVoid) {
                lookups.countIfVoid(addresses);
            }
            int prefix = v6 ? d.prefix6() : d.prefix4();
            for (InetAddress a : addresses) {
                if (new Cidr(a.getAddress(), prefix, a.getHostAddress() + "/" + prefix).contains(check.ip())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** §5.4: more than 10 MX names is a permerror; their address lookups are not counted as terms. */
    private CompletionStage<Boolean> mx(String name, Directive d) {
        return lookups.mx(name).thenCompose(hosts -> {
            lookups.countIfVoid(hosts);
            if (hosts.size() > SpfLookups.MAX_NAMES) {
                throw SpfException.permerror(name + " has more than " + SpfLookups.MAX_NAMES + " MX records");
            }
            return anyOf(hosts, 0, host -> addressMatch(host, d, false));
        });
    }

    private CompletionStage<Boolean> anyOf(List<String> names, int index,
            java.util.function.Function<String, CompletionStage<Boolean>> test) {
        if (index == names.size()) {
            return SpfChecker.done(false);
        }
        return test.apply(names.get(index)).thenCompose(hit -> hit ? SpfChecker.done(true)
                : anyOf(names, index + 1, test));
    }

    /** §5.5: a validated name of the client equal to or under the target. A PTR failure just does not match. */
    private CompletionStage<Boolean> ptr(String target) {
        return validatedNames().thenApply(names -> names.stream().anyMatch(n -> isWithin(n, target)));
    }

    /** §5.7: any A record at the name matches, whatever the client's address family. */
    private CompletionStage<Boolean> exists(String name) {
        return lookups.addresses(name, false).thenApply(addresses -> {
            lookups.countIfVoid(addresses);
            return !addresses.isEmpty();
        });
    }

    /**
     * The client's validated domain names (§5.5): the first 10 PTR names whose forward lookup
     * includes the client's address. A DNS error on the PTR lookup gives no names; one on a
     * forward lookup skips that name.
     */
    CompletionStage<List<String>> validatedNames() {
        return lookups.ptr(SpfMacros.reverseName(check.ip()))
                .handle((names, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(List.<String>of());
                    }
                    lookups.countIfVoid(names);
                    List<String> first = names.subList(0, Math.min(names.size(), SpfLookups.MAX_NAMES));
                    return validated(first);
                }).thenCompose(s -> s);
    }

    private CompletionStage<List<String>> validated(List<String> names) {
        var checks = new ArrayList<CompletableFuture<Boolean>>();
        for (String n : names) {
            checks.add(lookups.addresses(n, v6)
                    .thenApply(addresses -> addresses.contains(check.ip()))
                    .exceptionally(error -> false).toCompletableFuture());
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            var out = new ArrayList<String>();
            for (int i = 0; i < names.size(); i++) {
                if (checks.get(i).join()) {
                    out.add(names.get(i));
                }
            }
            return out;
        });
    }

    static boolean isWithin(String name, String target) {
        String n = name.toLowerCase(Locale.ROOT);
        String t = target.toLowerCase(Locale.ROOT);
        return n.equals(t) || n.endsWith("." + t);
    }
}
