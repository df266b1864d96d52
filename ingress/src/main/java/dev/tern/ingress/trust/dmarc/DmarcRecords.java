package dev.tern.ingress.trust.dmarc;

import dev.tern.common.dns.DnsAnswer;
import dev.tern.common.dns.DnsLookup;
import dev.tern.common.memo.BoundedMemo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Policy discovery (RFC 7489 §6.6.3): the DMARC record at {@code _dmarc.<From domain>}, else at
 * {@code _dmarc.<Organizational Domain>}. A DNS failure (timeout, SERVFAIL) is a temperror and
 * never reads as "no record", which would let a forged message through while the real policy
 * is unreachable. Several DMARC records, or one that is unusable, end discovery with no policy
 * (steps 5 and 6).
 */
final class DmarcRecords {

    /** What discovery found. */
    sealed interface Discovery permits Found, NotFound {
    }

    /**
     * A usable record at {@code domain}; {@code problem} notes a record read as {@code p=none}
     * because its {@code p} was invalid (step 6), else null.
     */
    record Found(DmarcRecord record, String domain, String problem) implements Discovery {
    }

    /** No policy applies: {@code result} is none, or temperror for a DNS failure. */
    record NotFound(DmarcResult result, String problem) implements Discovery {
    }

    /** The TXT records at one name, or a temporary failure. */
    private record Txt(List<String> records, String failure) {
    }

    /** {@link DmarcRecord#isDmarc} by record text: the same few cached records come back for every message. */
    private static final BoundedMemo<String, Boolean> DMARC_TEXTS = new BoundedMemo<>(10_000, DmarcRecord::isDmarc);

    private final DnsLookup dns;
    /** Records by their text: the DNS answer is cached, so each message would parse the same text again. */
    private final BoundedMemo<String, Parsed> parsedRecords = new BoundedMemo<>(10_000, Parsed::of);

    DmarcRecords(DnsLookup dns) {
        this.dns = dns;
    }

    /** Discovery for the From domain {@code from} (lower case, no trailing dot). */
    CompletionStage<Discovery> discover(String from) {
        return at(from).<Discovery>thenCompose(txt -> {
            if (txt.failure() != null) {
                return done(new NotFound(DmarcResult.TEMPERROR, txt.failure()));
            }
            List<String> dmarc = dmarcOnly(txt.records());
            String org = OrganizationalDomain.of(from);
            if (!dmarc.isEmpty() || org.equals(from)) {
                return done(choose(dmarc, from));
            }
            return at(org).<Discovery>thenApply(orgTxt -> orgTxt.failure() != null
                    ? new NotFound(DmarcResult.TEMPERROR, orgTxt.failure())
                    : choose(dmarcOnly(orgTxt.records()), org));
        });
    }

    private Discovery choose(List<String> dmarc, String domain) {
        if (dmarc.isEmpty()) {
            return new NotFound(DmarcResult.NONE, null);
        }
        if (dmarc.size() > 1) {
            return new NotFound(DmarcResult.NONE, domain + " publishes " + dmarc.size() + " DMARC records");
        }
        Parsed parsed = parsedRecords.get(dmarc.get(0));
        if (parsed.record() == null) {
            return new NotFound(DmarcResult.NONE, domain + ": unusable DMARC record: " + parsed.error());
        }
        return new Found(parsed.record(), domain, parsed.policiesValid() ? null
                : domain + ": no valid p= (or an invalid sp=), read as p=none for its rua=");
    }

    /** A record's text read once: the record, or why it is unusable. */
    private record Parsed(DmarcRecord record, boolean policiesValid, String error) {

        static Parsed of(String text) {
            try {
                return new Parsed(DmarcRecord.parse(text), DmarcRecord.policiesValid(text), null);
            } catch (IllegalArgumentException e) {
                return new Parsed(null, false, e.getMessage());
            }
        }
    }

    private static List<String> dmarcOnly(List<String> txt) {
        return txt.stream().filter(DMARC_TEXTS::get).toList();
    }

    private CompletionStage<Txt> at(String domain) {
        String name = "_dmarc." + domain;
        CompletionStage<DnsAnswer> answer;
        try {
            answer = dns.query(name, Type.TXT);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((a, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return new Txt(List.of(), "DNS lookup of TXT " + name + " failed: " + cause);
            }
            if (a.temporaryFailure()) {
                return new Txt(List.of(), "DNS lookup of TXT " + name + " failed: rcode " + Rcode.string(a.rcode()));
            }
            var texts = new ArrayList<String>();
            for (Record r : a.records()) {
                if (r instanceof TXTRecord t) {
                    texts.add(String.join("", t.getStrings()));
                }
            }
            return new Txt(texts, null);
        });
    }

    private static CompletionStage<Discovery> done(Discovery discovery) {
        return CompletableFuture.completedFuture(discovery);
    }
}
