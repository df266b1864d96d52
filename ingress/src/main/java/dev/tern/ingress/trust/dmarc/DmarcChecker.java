package dev.tern.ingress.trust.dmarc;

import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.dkim.DkimResult;
import dev.tern.ingress.trust.spf.SpfResult;
import dev.tern.ingress.trust.spf.SpfVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * DMARC (RFC 7489): finds the From domain's policy record (§6.6.3), decides whether an SPF or
 * DKIM pass is aligned with the From domain (§3.1), and turns a failure into a disposition after
 * {@code pct} sampling (§6.6.4). Takes the SPF and DKIM verdicts the session already has, so it
 * asks DNS only for the policy. Asynchronous; thread-safe when the {@link DnsLookup} and the
 * sampling source are.
 */
public final class DmarcChecker {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
            + "(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)+");

    private final DmarcRecords records;
    private final IntSupplier percentile;

    /** Samples {@code pct} with {@link ThreadLocalRandom}. */
    public DmarcChecker(DnsLookup dns) {
        this(dns, () -> ThreadLocalRandom.current().nextInt(100));
    }

    /**
     * {@code percentile} gives a number from 0 to 99 for each failing message under a policy with
     * {@code pct} below 100: the message is sampled (the policy applies in full) when the number
     * is below {@code pct}.
     */
    public DmarcChecker(DnsLookup dns, IntSupplier percentile) {
        this.records = new DmarcRecords(dns);
        this.percentile = percentile;
    }

    /**
     * DMARC for a message's From field: a {@link FromHeader#problem()} is a permerror; with
     * several From domains each is checked and the strictest verdict is returned (§6.6.1).
     */
    public CompletionStage<DmarcVerdict> check(FromHeader from, SpfVerdict spf, List<DkimResult> dkim) {
        if (from.problem() != null) {
            return CompletableFuture.completedFuture(
                    DmarcVerdict.withoutPolicy(DmarcResult.PERMERROR, null, from.problem()));
        }
        var checks = new ArrayList<CompletableFuture<DmarcVerdict>>();
        for (String domain : from.domains()) {
            checks.add(check(domain, spf, dkim).toCompletableFuture());
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> checks.stream()
                .map(CompletableFuture::join)
                .max(Comparator.comparingInt(DmarcVerdict::severity))
                .orElseThrow());
    }

    /**
     * DMARC for one RFC5322.From domain.
     *
     * @param spf  the SPF verdict of the session (MAIL FROM, or HELO for the null sender), or null
     *             when SPF was not checked
     * @param dkim the verdicts on the message's DKIM signatures, possibly empty
     */
    public CompletionStage<DmarcVerdict> check(String fromDomain, SpfVerdict spf, List<DkimResult> dkim) {
        String from = OrganizationalDomain.normalize(fromDomain);
        if (!DOMAIN.matcher(from).matches()) {
            return CompletableFuture.completedFuture(DmarcVerdict.withoutPolicy(DmarcResult.PERMERROR, from,
                    "not a DNS domain: " + fromDomain));
        }
        return records.discover(from).thenApply(discovery -> {
            if (discovery instanceof DmarcRecords.Found found) {
                return evaluate(from, found, spf, dkim);
            }
            var failed = (DmarcRecords.NotFound) discovery;
            return DmarcVerdict.withoutPolicy(failed.result(), from, failed.problem());
        });
    }

    private DmarcVerdict evaluate(String from, DmarcRecords.Found found, SpfVerdict spf, List<DkimResult> dkim) {
        DmarcRecord record = found.record();
        boolean spfAligned = spf != null && spf.result() == SpfResult.PASS && spf.domain() != null
                && aligned(spf.domain(), from, record.strictSpf());
        boolean dkimAligned = dkim.stream().anyMatch(d -> d.result() == DkimResult.Result.PASS && d.domain() != null
                && aligned(d.domain(), from, record.strictDkim()));
        DmarcPolicy policy = record.policyFor(!found.domain().equals(from));
        if (spfAligned || dkimAligned) {
            return new DmarcVerdict(DmarcResult.PASS, from, found.domain(), policy, DmarcPolicy.NONE, spfAligned,
                    dkimAligned, found.problem());
        }
        return new DmarcVerdict(DmarcResult.FAIL, from, found.domain(), policy, sampled(policy, record.percent()),
                false, false, found.problem());
    }

    /** §6.6.4: a message left out of the {@code pct} sample gets the next-lower policy. */
    private DmarcPolicy sampled(DmarcPolicy policy, int percent) {
        if (policy == DmarcPolicy.NONE || percent >= 100) {
            return policy;
        }
        return percentile.getAsInt() < percent ? policy : policy.lower();
    }

    /**
     * Identifier alignment (§3.1.1, §3.1.2): strict wants the same name, relaxed the same
     * Organizational Domain.
     */
    static boolean aligned(String authenticated, String from, boolean strict) {
        String a = OrganizationalDomain.normalize(authenticated);
        return strict ? a.equals(from) : OrganizationalDomain.sameOrganization(a, from);
    }
}
