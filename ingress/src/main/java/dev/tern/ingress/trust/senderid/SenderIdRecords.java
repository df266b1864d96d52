package dev.tern.ingress.trust.senderid;

import dev.tern.common.memo.BoundedMemo;
import dev.tern.ingress.trust.spf.SpfRecordSelector;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Record selection for one Sender ID scope (RFC 4406 §3.4): the {@code spf2.0/<scopes>} records
 * whose scope list names the scope; when there is none, the {@code v=spf1} records, which RFC
 * 4406 §3.4 lets stand in for {@code spf2.0/mfrom,pra}. {@code spf2.0} records for other scopes
 * are discarded. The mechanisms are SPF's (RFC 4406 §3 defers to RFC 4408, now RFC 7208), so the
 * SPF engine evaluates whatever this picks.
 */
final class SenderIdRecords implements SpfRecordSelector {

    /** {@code spf2.0/} then a comma-separated scope list, then a space or the end (RFC 4406 §3.3). */
    private static final Pattern VERSION = Pattern.compile("(?i)spf2\\.0/([A-Za-z0-9,-]+)(?: .*)?");

    private final String scope;
    /** {@link #hasScope} by record text: the same few cached records come back for every message. */
    private final BoundedMemo<String, Boolean> scoped = new BoundedMemo<>(10_000, this::readScope);

    SenderIdRecords(String scope) {
        this.scope = scope.toLowerCase(Locale.ROOT);
    }

    @Override
    public List<String> select(List<String> texts) {
        List<String> scoped = texts.stream().filter(this::hasScope).toList();
        return scoped.isEmpty() ? SpfRecordSelector.SPF1.select(texts) : scoped;
    }

    private boolean hasScope(String txt) {
        return scoped.get(txt);
    }

    private boolean readScope(String txt) {
        Matcher m = VERSION.matcher(txt);
        if (!m.matches()) {
            return false;
        }
        for (String s : m.group(1).split(",")) {
            if (s.toLowerCase(Locale.ROOT).equals(scope)) {
                return true;
            }
        }
        return false;
    }
}
