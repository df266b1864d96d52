package dev.tern.common.policy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The inbound checks ingress runs on mail that is not from a trusted network or an authenticated
 * user (policy key {@code checks}; docs/ARCHITECTURE.md, "Edge checks"). Every check is off unless
 * its section is present, so a policy without {@code checks} behaves as before.
 *
 * @param authservId    the authserv-id of our {@code Authentication-Results:} headers; null means the
 *                      ingress hostname
 * @param quarantineTo  where quarantined mail goes instead of its recipients; null keeps the
 *                      recipients and only marks the message with a header
 */
public record Checks(String authservId, String quarantineTo, Spf spf, SenderId senderId, boolean dkim, Dmarc dmarc,
        Dnsbl dnsbl, Greylisting greylisting) {

    public static final Checks NONE = new Checks(null, null, Spf.OFF, SenderId.OFF, false, Dmarc.OFF, Dnsbl.OFF,
            Greylisting.OFF);

    /** Whether any message-level check is on, i.e. whether an Authentication-Results header is due. */
    public boolean authenticates() {
        return spf.enabled() || senderId.enabled() || dkim || dmarc.enabled();
    }

    /**
     * SPF (RFC 7208) of MAIL FROM, or of the HELO name for the null sender. {@code pass},
     * {@code neutral} and {@code none} are always accepted.
     */
    public record Spf(boolean enabled, CheckAction fail, CheckAction softfail, CheckAction temperror,
            CheckAction permerror) {
        public static final Spf OFF = new Spf(false, CheckAction.ACCEPT, CheckAction.ACCEPT, CheckAction.ACCEPT,
                CheckAction.ACCEPT);
    }

    /** Sender ID (RFC 4406): SPF's engine over {@code spf2.0/pra} records and the purported responsible address. */
    public record SenderId(boolean enabled, CheckAction fail) {
        public static final SenderId OFF = new SenderId(false, CheckAction.ACCEPT);
    }

    /**
     * DMARC (RFC 7489): what to do with a failing message whose domain publishes {@code p=reject}
     * ({@code onReject}) or {@code p=quarantine} ({@code onQuarantine}), after {@code pct} sampling.
     * A DNS error while finding the record is {@code temperror}.
     */
    public record Dmarc(boolean enabled, CheckAction onReject, CheckAction onQuarantine, CheckAction temperror) {
        public static final Dmarc OFF = new Dmarc(false, CheckAction.ACCEPT, CheckAction.ACCEPT, CheckAction.ACCEPT);
    }

    /**
     * DNS reputation lists: the client IP is looked up in every zone, the weights of the zones that
     * list it are added (allow lists carry negative weights), and a sum at or above
     * {@code threshold} refuses the client at {@code stage}.
     */
    public record Dnsbl(boolean enabled, double threshold, Stage stage, List<Zone> zones) {
        public static final Dnsbl OFF = new Dnsbl(false, 1, Stage.RCPT, List.of());

        public Dnsbl {
            zones = List.copyOf(zones);
        }

        public enum Stage { CONNECT, RCPT }

        /**
         * @param answers the 127.0.0.0/8 answers that count as listed; empty: any A record
         */
        public record Zone(String zone, double weight, List<Cidr> answers) {
            public Zone {
                answers = List.copyOf(answers);
            }
        }
    }

    /**
     * Greylisting: the first attempt of a (client network, sender, recipient) triplet gets a 4xx;
     * a retry after {@code delay} and within {@code retryWindow} passes, and a passed triplet
     * passes at once for {@code passLifetime}. The triplets live in Infinispan, shared by every
     * ingress pod.
     */
    public record Greylisting(boolean enabled, Duration delay, Duration retryWindow, Duration passLifetime,
            List<Cidr> clientWhitelist, Set<String> domainWhitelist) {
        public static final Greylisting OFF = new Greylisting(false, Duration.ofMinutes(5), Duration.ofHours(4),
                Duration.ofDays(36), List.of(), Set.of());

        public Greylisting {
            clientWhitelist = List.copyOf(clientWhitelist);
            domainWhitelist = Set.copyOf(domainWhitelist);
        }
    }
}
