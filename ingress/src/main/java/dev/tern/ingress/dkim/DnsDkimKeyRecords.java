package dev.tern.ingress.dkim;

import dev.tern.common.dns.DnsLookup;
import java.util.ArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Key records from the shared resolver: TXT at {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.2). */
public final class DnsDkimKeyRecords implements DkimKeyRecords {

    private final DnsLookup dns;

    public DnsDkimKeyRecords(DnsLookup dns) {
        this.dns = dns;
    }

    @Override
    public CompletionStage<KeyLookup> txt(String name) {
        return dns.query(name, Type.TXT).handle((answer, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                return new TemporaryFailure(cause.toString());
            }
            if (answer.temporaryFailure()) {
                return new TemporaryFailure("DNS rcode " + Rcode.string(answer.rcode()));
            }
            var records = new ArrayList<String>();
            for (var r : answer.records()) {
                if (r instanceof TXTRecord t) {
                    // RFC 6376 §3.6.2.2: the strings of one TXT record are concatenated without separators.
                    records.add(String.join("", t.getStrings()));
                }
            }
            return records.isEmpty() ? new None() : new Found(records);
        });
    }
}
