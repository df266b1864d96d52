package dev.tern.ingress.trust.dnsbl;

import dev.tern.ingress.trust.ClientAddress;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of looking a client up in the policy's DNS lists.
 *
 * @param listed   whether {@code score} reached the policy's threshold: refuse the client
 * @param score    the sum of the weights of the zones that list the client
 * @param listings the zones that list the client (allow lists with negative weights included)
 * @param failed   zones whose lookup failed (timeout, SERVFAIL); they counted as not listing the
 *                 client, so a metric should count them: a list that always fails protects nothing
 * @param refused  zones that answered a "query refused" code (see {@link DnsblAnswers}); also
 *                 counted as not listing, and worth a metric: it usually means the list wants a
 *                 paid feed or a different resolver
 */
public record DnsblVerdict(boolean listed, double score, List<Listing> listings, List<String> failed,
        List<String> refused) {

    /** The verdict of a disabled check: nothing asked, nothing listed. */
    public static final DnsblVerdict NOT_CHECKED = new DnsblVerdict(false, 0, List.of(), List.of(), List.of());

    public DnsblVerdict {
        listings = List.copyOf(listings);
        failed = List.copyOf(failed);
        refused = List.copyOf(refused);
    }

    /** One zone listing the client: its policy weight and the A record it answered. */
    public record Listing(String zone, double weight, InetAddress answer) {
    }

    /**
     * The listing to name in the refusal: the one with the largest positive weight, since it
     * contributed most to the refusal (and an allow list is never named as a reason to refuse).
     */
    public Optional<Listing> blamed() {
        return listings.stream().filter(l -> l.weight() > 0).max(Comparator.comparingDouble(Listing::weight));
    }

    /**
     * The text of the 554 5.7.1 reply, e.g. {@code Service unavailable; client [192.0.2.1] listed
     * by zen.example}: the client learns which list to ask for removal, as is customary.
     */
    public String replyText(InetAddress client) {
        String ip = ClientAddress.unmapped(client).getHostAddress();
        int scope = ip.indexOf('%');
        String shown = scope < 0 ? ip : ip.substring(0, scope);
        return "Service unavailable; client [" + shown + "] listed by "
                + blamed().map(Listing::zone).orElse("local policy");
    }
}
