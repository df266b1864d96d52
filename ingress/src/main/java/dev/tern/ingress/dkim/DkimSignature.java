package dev.tern.ingress.dkim;

import dev.tern.ingress.dkim.DkimCanonicalizer.Canonicalization;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One parsed and syntax-checked {@code DKIM-Signature} header field value (RFC 6376 §3.5,
 * §6.1.1). Semantic checks that need the clock, the body or the key are the verifier's.
 *
 * @param algorithm      the {@code a=} value, lower case (e.g. {@code rsa-sha256})
 * @param signature      the decoded {@code b=}
 * @param bodyHash       the decoded {@code bh=}
 * @param headerCanon    header canonicalisation of {@code c=}
 * @param bodyCanon      body canonicalisation of {@code c=}
 * @param domain         {@code d=}, lower case
 * @param selector       {@code s=}
 * @param signedHeaders  {@code h=}, lower case, in order, duplicates kept
 * @param identity       {@code i=}, defaulting to {@code @d}
 * @param bodyLength     {@code l=}, or -1 when absent
 * @param timestamp      {@code t=} in epoch seconds, or -1 when absent
 * @param expiry         {@code x=} in epoch seconds, or -1 when absent
 * @param rawB           the {@code b=} value as written (for {@code header.b})
 * @param withoutB       the raw field value with the {@code b=} value blanked, as §3.7 hashes it
 */
public record DkimSignature(String algorithm, byte[] signature, byte[] bodyHash, Canonicalization headerCanon,
        Canonicalization bodyCanon, String domain, String selector, List<String> signedHeaders, String identity,
        long bodyLength, long timestamp, long expiry, String rawB, String withoutB) {

    /**
     * Parses the value (after the colon) of a {@code DKIM-Signature} field.
     *
     * @throws DkimPermanentError naming the first problem found
     */
    static DkimSignature parse(String rawValue) {
        DkimTagList tags = DkimTagList.parse(rawValue);
        if (!tags.required("v").equals("1")) {
            throw new DkimPermanentError("unsupported version v=" + tags.required("v"));
        }
        String algorithm = tags.required("a").toLowerCase(Locale.ROOT);
        DkimTagList.Tag b = tags.tag("b").orElseThrow(() -> new DkimPermanentError("missing required tag b="));
        byte[] signature = DkimTagList.base64("b", b.value());
        byte[] bodyHash = DkimTagList.base64("bh", tags.required("bh"));
        String domain = tags.required("d").toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) {
            throw new DkimPermanentError("empty d=");
        }
        String selector = tags.required("s");
        if (selector.isEmpty()) {
            throw new DkimPermanentError("empty s=");
        }
        List<String> signed = Arrays.stream(tags.required("h").split(":"))
                .map(n -> DkimTagList.removeFws(n).toLowerCase(Locale.ROOT)).toList();
        if (!signed.contains("from")) {
            throw new DkimPermanentError("h= does not include From");
        }
        Canonicalization[] c = canonicalization(tags.value("c").orElse("simple/simple"));
        String identity = tags.value("i").orElse("@" + domain);
        int atSign = identity.lastIndexOf('@');
        String identityDomain = atSign < 0 ? "" : identity.substring(atSign + 1).toLowerCase(Locale.ROOT);
        if (atSign < 0 || !(identityDomain.equals(domain) || identityDomain.endsWith("." + domain))) {
            throw new DkimPermanentError("i=" + identity + " is not within d=" + domain);
        }
        if (tags.value("q").isPresent() && !List.of(tags.value("q").get().split(":")).stream()
                .map(String::strip).toList().contains("dns/txt")) {
            throw new DkimPermanentError("unsupported query method q=" + tags.value("q").get());
        }
        long length = number(tags, "l", 76);
        long timestamp = number(tags, "t", 12);
        long expiry = number(tags, "x", 12);
        if (timestamp >= 0 && expiry >= 0 && expiry < timestamp) {
            throw new DkimPermanentError("x= is before t=");
        }
        String withoutB = rawValue.substring(0, b.valueStart()) + rawValue.substring(b.valueEnd());
        return new DkimSignature(algorithm, signature, bodyHash, c[0], c[1], domain, selector, signed, identity,
                length, timestamp, expiry, DkimTagList.removeFws(b.value()), withoutB);
    }

    private static Canonicalization[] canonicalization(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            throw new DkimPermanentError("bad c=" + value);
        }
        return new Canonicalization[] {canon(parts[0]), parts.length == 2 ? canon(parts[1]) : Canonicalization.SIMPLE};
    }

    private static Canonicalization canon(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "simple" -> Canonicalization.SIMPLE;
            case "relaxed" -> Canonicalization.RELAXED;
            default -> throw new DkimPermanentError("unknown canonicalization '" + name + "'");
        };
    }

    /** A decimal tag of at most {@code digits} digits, -1 when absent; too big to matter saturates. */
    private static long number(DkimTagList tags, String name, int digits) {
        var value = tags.value(name);
        if (value.isEmpty()) {
            return -1;
        }
        String v = value.get();
        if (v.isEmpty() || v.length() > digits || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new DkimPermanentError("bad " + name + "=" + v);
        }
        return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
    }

    /** The first eight characters of {@code b=}, RFC 6008's {@code header.b}. */
    public String shortB() {
        return rawB.length() <= 8 ? rawB : rawB.substring(0, 8);
    }
}
