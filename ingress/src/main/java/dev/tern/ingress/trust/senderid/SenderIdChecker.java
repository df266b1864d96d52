package dev.tern.ingress.trust.senderid;

import dev.tern.common.dns.DnsLookup;
import dev.tern.ingress.trust.header.HeaderFields;
import dev.tern.ingress.trust.spf.SpfChecker;
import dev.tern.ingress.trust.spf.SpfResult;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sender ID (RFC 4406) for the PRA scope: finds the message's purported responsible address
 * (RFC 4407) and runs SPF's check_host() on its domain over the {@code spf2.0/pra} records, or
 * the {@code v=spf1} records when the domain publishes none (§3.4). Needs the message's header, so
 * it runs after DATA. Asynchronous; thread-safe when the {@link DnsLookup} is.
 */
public final class SenderIdChecker {

    /** The identity name the SPF engine reports; the A-R property names the header field instead. */
    private static final String IDENTITY = "pra";

    private final SpfChecker engine;

    /** {@code receiver} is this host's name, what {@code %{r}} expands to in explanations. */
    public SenderIdChecker(DnsLookup dns, String receiver, Clock clock) {
        this.engine = new SpfChecker(dns, receiver, clock, new SenderIdRecords(IDENTITY));
    }

    /** Sender ID for {@code message} (at least its header section) sent by {@code ip}, which said {@code helo}. */
    public CompletionStage<SenderIdVerdict> check(InetAddress ip, byte[] message, String helo) {
        return check(ip, HeaderFields.of(message), helo);
    }

    /** Sender ID for a message with these header {@code fields} sent by {@code ip}, which said {@code helo}. */
    public CompletionStage<SenderIdVerdict> check(InetAddress ip, List<HeaderFields.Field> fields, String helo) {
        PurportedResponsibleAddress pra = PurportedResponsibleAddress.of(fields);
        if (pra.mailbox() == null) {
            return CompletableFuture.completedFuture(
                    new SenderIdVerdict(SpfResult.PERMERROR, null, null, pra.problem()));
        }
        String address = pra.mailbox().address();
        return engine.checkIdentity(ip, address, helo, IDENTITY).thenApply(spf -> new SenderIdVerdict(spf.result(),
                pra.field(), address, spf.problem() != null ? spf.problem() : spf.explanation()));
    }
}
