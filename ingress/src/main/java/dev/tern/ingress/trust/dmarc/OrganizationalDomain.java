package dev.tern.ingress.trust.dmarc;

import com.google.common.net.InternetDomainName;
import dev.tern.common.memo.BoundedMemo;
import java.util.Locale;

/**
 * The Organizational Domain of a DNS name (RFC 7489 §3.2): the public suffix that matches the
 * most labels of the name, plus one more label. The suffixes come from the Public Suffix List
 * bundled with Guava, ICANN and private sections both: a private entry such as {@code github.io}
 * exists because its owner hands out the names below it to unrelated parties, so
 * {@code alice.github.io} and {@code bob.github.io} must not count as one organization, which is
 * what DMARC's relaxed alignment would otherwise grant them.
 *
 * <p>Two cases the list does not settle: a name under no listed suffix (a TLD missing from the
 * list, or a test TLD such as {@code .test}) gets the list's implicit {@code *} rule, so its last
 * label is the suffix; a name that is itself a public suffix is its own Organizational Domain
 * (there is no further label to add in step 4 of §3.2). Pure and thread-safe.
 */
public final class OrganizationalDomain {

    /**
     * Answers by normalised name: walking the suffix list is a good part of a DMARC check's
     * cost, and a receiver sees the same few thousand domains over and over.
     */
    private static final BoundedMemo<String, String> KNOWN = new BoundedMemo<>(50_000, OrganizationalDomain::lookUp);

    private OrganizationalDomain() {
    }

    /** The Organizational Domain of {@code name}, lower case, without a trailing dot. */
    public static String of(String name) {
        return KNOWN.get(normalize(name));
    }

    private static String lookUp(String domain) {
        InternetDomainName parsed;
        try {
            parsed = InternetDomainName.from(domain);
        } catch (IllegalArgumentException e) {
            // Not a syntactically valid host name (e.g. an over-long label): only exact matches align.
            return domain;
        }
        if (parsed.isTopPrivateDomain() || parsed.isPublicSuffix()) {
            return domain;
        }
        if (parsed.isUnderPublicSuffix()) {
            return parsed.topPrivateDomain().toString();
        }
        // The implicit "*" rule of the Public Suffix List: an unlisted TLD is a one-label suffix.
        int lastDot = domain.lastIndexOf('.');
        if (lastDot < 0) {
            return domain;
        }
        int previousDot = domain.lastIndexOf('.', lastDot - 1);
        return domain.substring(previousDot + 1);
    }

    /** Whether two names have the same Organizational Domain: DMARC's relaxed alignment (§3.1). */
    public static boolean sameOrganization(String a, String b) {
        return of(a).equals(of(b));
    }

    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
