package dev.tern.ingress.trust.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One DMARC policy record (RFC 7489 §6.3), the tags that decide a message's fate parsed; the
 * reporting tags ({@code ruf}, {@code fo}, {@code rf}, {@code ri}) and unknown tags are accepted
 * and ignored, since this receiver sends no reports. Bad values of the optional tags fall back to
 * their defaults (§6.3: "syntax errors in the remainder of the record SHOULD be discarded in
 * favor of default values"); {@code rua} is kept because it decides what a bad {@code p} means.
 *
 * @param policy           {@code p}
 * @param subdomainPolicy  {@code sp}, or null when absent (then {@code p} applies to subdomains)
 * @param percent          {@code pct}, 0 to 100, default 100
 * @param strictDkim       {@code adkim=s}
 * @param strictSpf        {@code aspf=s}
 * @param aggregateReports the {@code rua} URIs that parse
 */
public record DmarcRecord(DmarcPolicy policy, DmarcPolicy subdomainPolicy, int percent, boolean strictDkim,
        boolean strictSpf, List<String> aggregateReports) {

    private static final Pattern VERSION = Pattern.compile("v\\s*=\\s*DMARC1\\s*(;.*)?", Pattern.DOTALL);
    private static final Pattern PERCENT = Pattern.compile("\\d{1,3}");

    public DmarcRecord {
        aggregateReports = List.copyOf(aggregateReports);
    }

    /**
     * Whether a TXT record is a DMARC record at all: {@code v=DMARC1} as its first tag (§6.6.3
     * steps 2 and 4 discard every other record).
     */
    public static boolean isDmarc(String txt) {
        return VERSION.matcher(txt.strip()).matches();
    }

    /**
     * Parses a record {@link #isDmarc} accepted.
     *
     * @throws IllegalArgumentException when the record cannot be used: {@code p} missing or
     *                                  invalid (or {@code sp} invalid) and no valid {@code rua};
     *                                  with a valid {@code rua} such a record reads as
     *                                  {@code p=none} (§6.6.3 step 6)
     */
    public static DmarcRecord parse(String txt) {
        Map<String, String> tags = tags(txt);
        List<String> rua = uris(tags.get("rua"));
        DmarcPolicy p = tags.containsKey("p") ? DmarcPolicy.of(tags.get("p")) : null;
        String spValue = tags.get("sp");
        DmarcPolicy sp = spValue == null ? null : DmarcPolicy.of(spValue);
        if (p == null || spValue != null && sp == null) {
            if (rua.isEmpty()) {
                throw new IllegalArgumentException("no valid p= (or an invalid sp=) and no valid rua=: " + txt);
            }
            return new DmarcRecord(DmarcPolicy.NONE, null, 100, false, false, rua);
        }
        return new DmarcRecord(p, sp, percent(tags.get("pct")), "s".equalsIgnoreCase(tags.get("adkim")),
                "s".equalsIgnoreCase(tags.get("aspf")), rua);
    }

    /** Whether {@code p} is valid and {@code sp} absent or valid: else {@link #parse} falls back to {@code p=none}. */
    static boolean policiesValid(String txt) {
        Map<String, String> tags = tags(txt);
        return tags.containsKey("p") && DmarcPolicy.of(tags.get("p")) != null
                && (!tags.containsKey("sp") || DmarcPolicy.of(tags.get("sp")) != null);
    }

    /** The policy for a message whose From domain is the record's domain, or a subdomain under it (§6.6.3 step 3). */
    public DmarcPolicy policyFor(boolean subdomain) {
        return subdomain && subdomainPolicy != null ? subdomainPolicy : policy;
    }

    /** Tag name (lower case) to value; the first occurrence of a name wins, malformed tags are skipped. */
    private static Map<String, String> tags(String txt) {
        var tags = new LinkedHashMap<String, String>();
        for (String spec : txt.split(";")) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            tags.putIfAbsent(name, spec.substring(eq + 1).strip());
        }
        return tags;
    }

    private static int percent(String value) {
        if (value == null || !PERCENT.matcher(value).matches()) {
            return 100;
        }
        int pct = Integer.parseInt(value);
        return pct > 100 ? 100 : pct;
    }

    /** The URIs of a {@code rua} list that parse and have a scheme, each without its {@code !size} suffix (§6.2). */
    private static List<String> uris(String list) {
        var out = new ArrayList<String>();
        if (list == null) {
            return out;
        }
        for (String item : list.split(",")) {
            String uri = item.strip();
            int bang = uri.lastIndexOf('!');
            if (bang > 0) {
                uri = uri.substring(0, bang);
            }
            try {
                if (!uri.isEmpty() && new URI(uri).getScheme() != null) {
                    out.add(uri);
                }
            } catch (URISyntaxException e) {
                // Not a URI: skipped, like any other malformed value in the record.
            }
        }
        return out;
    }
}
