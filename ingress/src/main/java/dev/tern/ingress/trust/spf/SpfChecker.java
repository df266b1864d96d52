package dev.tern.ingress.trust.spf;

import dev.tern.common.dns.DnsLookup;
import dev.tern.common.memo.BoundedMemo;
import dev.tern.ingress.trust.spf.SpfRecord.Directive;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * SPF (RFC 7208): check_host() over the shared {@link DnsLookup}, for the MAIL FROM identity and
 * the HELO identity (§2.3, §2.4: the null sender is checked as {@code postmaster@<helo>}).
 *
 * <p>Walks the record's directives in order (§4.6.2), follows {@code include} and
 * {@code redirect} (§5.2, §6.1), fetches the {@code exp} explanation for a fail (§6.2). The limits
 * of §4.6.4 (10 DNS-querying terms, 2 void lookups, 10 MX names, 10 PTR names) are kept by
 * {@link SpfLookups}. DNS timeouts and SERVFAIL give temperror; malformed records and exceeded
 * limits give permerror; the two are never merged. Asynchronous and stateless between checks;
 * thread-safe when the {@link DnsLookup} is.
 */
public final class SpfChecker {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private final DnsLookup dns;
    private final String receiver;
    private final Clock clock;
    private final SpfRecordSelector selector;
    /** Records by their text (a malformed one is not kept: it throws permerror every time). */
    private final BoundedMemo<String, SpfRecord> parsedRecords = new BoundedMemo<>(10_000, SpfRecordParser::parse);

    /** {@code receiver} is this host's name, what {@code %{r}} expands to in explanations. */
    public SpfChecker(DnsLookup dns, String receiver, Clock clock) {
        this(dns, receiver, clock, SpfRecordSelector.SPF1);
    }

    /**
     * A checker that evaluates the records {@code selector} picks: the same engine over another
     * record type, as Sender ID (RFC 4406 §3) runs it over {@code spf2.0/pra} records.
     */
    public SpfChecker(DnsLookup dns, String receiver, Clock clock, SpfRecordSelector selector) {
        this.dns = dns;
        this.receiver = receiver;
        this.clock = clock;
        this.selector = selector;
    }

    /**
     * SPF for the MAIL FROM identity; for the null sender ({@code mailFrom} empty) the HELO
     * identity is checked instead, as §2.4 requires.
     */
    public CompletionStage<SpfVerdict> checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        if (mailFrom == null || mailFrom.isEmpty()) {
            return checkHelo(ip, helo);
        }
        String sender = mailFrom.indexOf('@') < 0 ? "postmaster@" + mailFrom : mailFrom;
        var check = new SpfCheck(ip, sender, helo, receiver, clock.instant());
        return run(check, "mailfrom", check.senderDomain());
    }

    /**
     * check_host() for an identity other than SPF's two, e.g. Sender ID's purported responsible
     * address (RFC 4406 §3): {@code sender} is {@code local@domain}, {@code identity} names it in
     * the verdict.
     */
    public CompletionStage<SpfVerdict> checkIdentity(InetAddress ip, String sender, String helo, String identity) {
        var check = new SpfCheck(ip, sender, helo, receiver, clock.instant());
        return run(check, identity, check.senderDomain());
    }

    /** SPF for the HELO identity (§2.3), with {@code postmaster@<helo>} as the sender. */
    public CompletionStage<SpfVerdict> checkHelo(InetAddress ip, String helo) {
        var check = new SpfCheck(ip, "postmaster@" + helo, helo, receiver, clock.instant());
        return run(check, "helo", helo);
    }

    private CompletionStage<SpfVerdict> run(SpfCheck check, String identity, String domain) {
        CompletionStage<Outcome> outcome;
        try {
            outcome = checkHost(check, new SpfLookups(dns), domain);
        } catch (SpfException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.handle((o, error) -> {
            if (error == null) {
                return new SpfVerdict(o.result(), identity, domain, o.explanation(), null);
            }
            Throwable cause = SpfLookups.cause(error);
            if (cause instanceof SpfException spf) {
                return new SpfVerdict(spf.result(), identity, domain, null, spf.getMessage());
            }
            return new SpfVerdict(SpfResult.TEMPERROR, identity, domain, null, cause.toString());
        });
    }

    /** A result and, for fail, the explanation. */
    record Outcome(SpfResult result, String explanation) {
    }

    /** check_host() (§4): the result for {@code domain}, sharing {@code lookups} with the whole check. */
    CompletionStage<Outcome> checkHost(SpfCheck check, SpfLookups lookups, String domain) {
        if (!validDomain(domain)) {
            return done(new Outcome(SpfResult.NONE, null));
        }
        return lookups.txt(domain).thenCompose(texts -> {
            List<String> spf = selector.select(texts);
            if (spf.isEmpty()) {
                return done(new Outcome(SpfResult.NONE, null));
            }
            if (spf.size() > 1) {
                throw SpfException.permerror(domain + " publishes " + spf.size() + " SPF records");
            }
            SpfRecord record = parsedRecords.get(spf.get(0));
            return directive(check, lookups, domain, record, 0);
        });
    }

    private CompletionStage<Outcome> directive(SpfCheck check, SpfLookups lookups, String domain, SpfRecord record,
            int index) {
        if (index == record.directives().size()) {
            return noMatch(check, lookups, domain, record);
        }
        Directive d = record.directives().get(index);
        if (d.countsAsLookup()) {
            lookups.countTerm();
        }
        var mechanisms = new SpfMechanisms(this, check, lookups, domain);
        return mechanisms.matches(d).thenCompose(matched -> {
            if (!matched) {
                return directive(check, lookups, domain, record, index + 1);
            }
            SpfResult result = SpfResult.ofQualifier(d.qualifier());
            if (result == SpfResult.FAIL && record.explanation() != null) {
                return explain(check, lookups, domain, record.explanation());
            }
            return done(new Outcome(result, null));
        });
    }

    /** No directive matched: follow {@code redirect=} (§6.1), else neutral (§4.7). */
    private CompletionStage<Outcome> noMatch(SpfCheck check, SpfLookups lookups, String domain, SpfRecord record) {
        if (record.redirect() == null) {
            return done(new Outcome(SpfResult.NEUTRAL, null));
        }
        lookups.countTerm();
        return expandDomain(check, lookups, domain, record.redirect())
                .thenCompose(target -> checkHost(check, lookups, target))
                .thenApply(outcome -> {
                    if (outcome.result() == SpfResult.NONE) {
                        throw SpfException.permerror("redirect to a domain without an SPF record");
                    }
                    return outcome;
                });
    }

    /**
     * The {@code exp=} text (§6.2): one TXT record at the expanded name, itself macro-expanded.
     * Any trouble on the way (DNS error, no record, several, bad macros) means no explanation,
     * never a different result.
     */
    private CompletionStage<Outcome> explain(SpfCheck check, SpfLookups lookups, String domain, String spec) {
        var fail = new Outcome(SpfResult.FAIL, null);
        try {
            return expandDomain(check, lookups, domain, spec)
                    .thenCompose(lookups::txt)
                    .thenCompose(texts -> {
                        if (texts.size() != 1) {
                            return done(fail);
                        }
                        return validatedNameIfNeeded(check, lookups, domain, texts.get(0)).thenApply(name ->
                                new Outcome(SpfResult.FAIL, SpfMacros.expand(texts.get(0),
                                        new SpfMacros.Values(check, domain, name), true)));
                    })
                    .exceptionally(error -> fail);
        } catch (SpfException e) {
            return done(fail);
        }
    }

    /** A domain spec with its macros expanded (looking up {@code %{p}} first when it is used). */
    CompletionStage<String> expandDomain(SpfCheck check, SpfLookups lookups, String domain, String spec) {
        return validatedNameIfNeeded(check, lookups, domain, spec)
                .thenApply(name -> SpfMacros.domain(spec, new SpfMacros.Values(check, domain, name)));
    }

    private CompletionStage<String> validatedNameIfNeeded(SpfCheck check, SpfLookups lookups, String domain,
            String spec) {
        if (!SpfMacros.needsPtr(spec)) {
            return done(null);
        }
        return new SpfMechanisms(this, check, lookups, domain).validatedNames().thenApply(names -> {
            String best = null;
            for (String n : names) {
                if (n.equalsIgnoreCase(domain)) {
                    return n;
                }
                if (best == null || SpfMechanisms.isWithin(n, domain) && !SpfMechanisms.isWithin(best, domain)) {
                    best = n;
                }
            }
            return best;
        });
    }

    /** {@link #checkDomain} by name: senders' domains repeat all day. */
    private static final BoundedMemo<String, Boolean> VALID_DOMAINS = new BoundedMemo<>(50_000,
            SpfChecker::checkDomain);

    /** §4.3: a malformed or single-label domain gives "none" without any lookup. */
    static boolean validDomain(String domain) {
        return domain != null && VALID_DOMAINS.get(domain);
    }

    private static boolean checkDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String[] labels = d.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
