package dev.tern.ingress.trust.recipients;

import dev.tern.common.policy.Transport;
import dev.tern.smtp.address.Mailbox;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Callout verdicts remembered for a while, so that a recipient is not asked about at every RCPT
 * and, with {@link InfinispanCalloutCache}, so that every ingress pod shares what one pod learned.
 *
 * <p>Only {@linkplain CalloutVerdict#cacheable() cacheable} verdicts are stored; {@link #put} of
 * any other does nothing, because a deferral or an unreachable server says nothing about the
 * recipient. Entries are keyed by the server asked as well as the address: after a route change
 * the new server is asked afresh. The local part is kept as given (the server, not us, decides
 * whether its case matters).
 *
 * <p>Asynchronous and thread-safe. A failed stage means the cache could not answer; callers treat
 * it as a miss and call out, never as a reason to refuse mail.
 */
public interface CalloutCache {

    /** The remembered verdict, or empty. */
    CompletionStage<Optional<CalloutVerdict>> get(Mailbox recipient, Transport server);

    /** Remembers a cacheable verdict for {@code lifespan}; ignores the others. */
    CompletionStage<Void> put(Mailbox recipient, Transport server, CalloutVerdict verdict, Duration lifespan);

    /** The entry key: server and address, the domain lower-cased. */
    static String key(Mailbox recipient, Transport server) {
        return server + "|" + recipient.localPart() + "@" + recipient.domain().toLowerCase(Locale.ROOT);
    }
}
