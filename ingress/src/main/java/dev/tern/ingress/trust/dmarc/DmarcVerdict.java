package dev.tern.ingress.trust.dmarc;

import dev.tern.ingress.authres.MethodResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of DMARC for one message.
 *
 * @param result       the result
 * @param fromDomain   the RFC5322.From domain judged ({@code header.from}); null when there was none
 * @param policyDomain the domain whose record applied (the From domain or its Organizational
 *                     Domain), null when no record applied
 * @param policy       the policy the record asks for this From domain ({@code sp} for a subdomain
 *                     when given, else {@code p}); null when no record applied
 * @param disposition  what the receiver should do: {@link DmarcPolicy#NONE} for anything but a
 *                     fail, the policy for a fail, one step lower when {@code pct} sampling left
 *                     the message out (§6.6.4)
 * @param spfAligned   an SPF pass for a domain aligned with the From domain
 * @param dkimAligned  a DKIM pass for a {@code d=} aligned with the From domain
 * @param problem      what went wrong, for temperror, permerror and an ignored record; else null
 */
public record DmarcVerdict(DmarcResult result, String fromDomain, String policyDomain, DmarcPolicy policy,
        DmarcPolicy disposition, boolean spfAligned, boolean dkimAligned, String problem) {

    static DmarcVerdict withoutPolicy(DmarcResult result, String fromDomain, String problem) {
        return new DmarcVerdict(result, fromDomain, null, null, DmarcPolicy.NONE, false, false, problem);
    }

    /**
     * This verdict as an Authentication-Results {@code resinfo}, in the form receivers commonly
     * write: {@code dmarc=fail (p=reject dis=quarantine) header.from=example.org}; the reason
     * carries {@link #problem()}.
     */
    public MethodResult methodResult() {
        List<MethodResult.Property> properties = new ArrayList<>();
        if (fromDomain != null) {
            properties.add(new MethodResult.Property("header", "from", fromDomain));
        }
        String comment = policy == null ? null : "p=" + policy.keyword() + " dis=" + disposition.keyword();
        return new MethodResult("dmarc", result.keyword(), problem, properties, comment);
    }

    /**
     * How strict this verdict is, for a From field with several domains (§6.6.1: the strictest
     * outcome applies): a fail by its disposition, then the errors, then no policy, then a pass.
     */
    int severity() {
        return switch (result) {
            case FAIL -> disposition == DmarcPolicy.REJECT ? 7 : disposition == DmarcPolicy.QUARANTINE ? 6 : 3;
            case TEMPERROR -> 5;
            case PERMERROR -> 4;
            case NONE -> 2;
            case PASS -> 1;
        };
    }
}
