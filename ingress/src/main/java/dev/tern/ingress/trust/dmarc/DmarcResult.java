package dev.tern.ingress.trust.dmarc;

import java.util.Locale;

/** The DMARC results of RFC 7489 §11.2 (Authentication-Results), temperror and permerror kept apart. */
public enum DmarcResult {
    /** An aligned SPF or DKIM pass. */
    PASS,
    /** A policy was found and nothing aligned passed. */
    FAIL,
    /** No usable policy record: DMARC does not apply to the message (§6.6.3). */
    NONE,
    /** A DNS error while looking for the policy; a later attempt may find it. */
    TEMPERROR,
    /** The message has no From domain DMARC could judge (§6.6.1). */
    PERMERROR;

    /** The Authentication-Results keyword, e.g. {@code pass}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
