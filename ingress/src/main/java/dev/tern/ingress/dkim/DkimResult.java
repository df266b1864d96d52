package dev.tern.ingress.dkim;

import dev.tern.ingress.authres.MethodResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict on one {@code DKIM-Signature} of a message, with what Authentication-Results
 * (RFC 8601) reports about it. Fields the signature did not yield (a malformed one) are null.
 *
 * @param result    the verdict
 * @param reason    why, for anything but a plain pass; null for a pass
 * @param domain    {@code d=} ({@code header.d})
 * @param selector  {@code s=} ({@code header.s})
 * @param identity  {@code i=} or its default {@code @d} ({@code header.i})
 * @param algorithm {@code a=} ({@code header.a})
 * @param shortB    the first 8 characters of {@code b=} ({@code header.b}, RFC 6008), telling signatures apart
 * @param testing   the key record said {@code t=y}: the domain is testing DKIM
 */
public record DkimResult(Result result, String reason, String domain, String selector, String identity,
        String algorithm, String shortB, boolean testing) {

    /** RFC 8601 §2.7.1 results for DKIM. */
    public enum Result {
        /** The signature verified. */
        PASS,
        /** The signature did not verify (body hash or signature mismatch, expired, from the future). */
        FAIL,
        /** The signature failed, but its key is in testing mode ({@code t=y}), so it counts as unsigned. */
        NEUTRAL,
        /** The signature verified but is not acceptable: {@code rsa-sha1} (RFC 8301). */
        POLICY,
        /** The key could not be fetched for now (DNS timeout, SERVFAIL); a retry may succeed. */
        TEMPERROR,
        /** The signature or key record is unusable: malformed, unsupported, no key, revoked. */
        PERMERROR;

        /** The Authentication-Results keyword, e.g. {@code pass}. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static DkimResult of(Result result, String reason, DkimSignature s, boolean testing) {
        return new DkimResult(result, reason, s.domain(), s.selector(), s.identity(), s.algorithm(), s.shortB(),
                testing);
    }

    /** This result as an Authentication-Results {@code resinfo}, e.g. {@code dkim=pass header.d=...}. */
    public MethodResult methodResult() {
        List<MethodResult.Property> properties = new ArrayList<>();
        if (domain != null) {
            properties.add(new MethodResult.Property("header", "d", domain));
        }
        if (identity != null) {
            properties.add(new MethodResult.Property("header", "i", identity));
        }
        if (selector != null) {
            properties.add(new MethodResult.Property("header", "s", selector));
        }
        if (algorithm != null) {
            properties.add(new MethodResult.Property("header", "a", algorithm));
        }
        if (shortB != null && !shortB.isEmpty()) {
            properties.add(new MethodResult.Property("header", "b", shortB));
        }
        String why = testing ? (reason == null ? "testing key" : reason + "; testing key") : reason;
        return new MethodResult("dkim", result.keyword(), why, properties);
    }
}
