package dev.tern.common.policy;

import dev.tern.common.feedback.VerpAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The policy's {@code feedback} section (docs/ARCHITECTURE.md, "Feedback loops and VERP"): the
 * bounce domain whose mail ingress hands to the bounce service, and whether delivery rewrites
 * envelope senders to VERP bounce addresses in it.
 *
 * @param enabled      delivery sends with a {@link VerpAddress} envelope sender (null-sender mail never)
 * @param bounceDomain the bounce domain, null when the section is absent: then nothing changes
 * @param prefix       the first part of every bounce address's local part
 */
public record Feedback(boolean enabled, String bounceDomain, String prefix) {

    public static final String DEFAULT_PREFIX = "bounce";
    /** No section: today's behaviour, senders kept, no bounce domain. */
    public static final Feedback NONE = new Feedback(false, null, DEFAULT_PREFIX);

    public Feedback {
        if (enabled && bounceDomain == null) {
            throw new IllegalArgumentException("VERP needs a bounce domain");
        }
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
    }

    /**
     * True for a mailbox in the bounce domain: ingress accepts it from anyone and queues it on
     * {@code tern.feedback}. Holds whether or not rewriting is {@link #enabled()}, so reports about
     * mail sent before it was switched off still arrive, as do reports to a fixed address there
     * (a feedback-loop registration such as {@code fbl@bounce.example.org}).
     */
    public boolean isBounceAddress(String domain) {
        return bounceDomain != null && domain != null && bounceDomain.equals(domain.toLowerCase(Locale.ROOT));
    }

    /** The envelope sender delivery uses for one recipient of message {@code queueId}: VERP when enabled. */
    public String senderFor(String sender, String queueId, String recipient) {
        if (!enabled || sender.isEmpty()) {
            return sender; // RFC 5321 §4.5.5: a DSN's null sender is never rewritten.
        }
        return VerpAddress.encode(prefix, bounceDomain, queueId, recipient);
    }

    /** The queue id and recipient a bounce address names, or empty when it is not one of ours. */
    public Optional<VerpAddress> decode(String address) {
        return bounceDomain == null ? Optional.empty() : VerpAddress.decode(prefix, bounceDomain, address);
    }
}
