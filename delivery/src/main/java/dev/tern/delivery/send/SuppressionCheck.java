package dev.tern.delivery.send;

import dev.tern.common.infinispan.BackgroundOpener;
import dev.tern.common.suppression.SuppressionList;
import dev.tern.common.suppression.SuppressionList.Entry;
import dev.tern.smtp.reply.Reply;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Which recipients of a message are on the suppression list the bounce service keeps from hard
 * bounces (docs/ARCHITECTURE.md, "Bounces"), so that delivery does not mail an
 * address that is known not to exist: such a recipient fails at once with {@link #reply}, and
 * its sender gets a DSN. The reply is {@code 5.7.1} (a policy refusal), not the original
 * {@code 5.1.x}, so that the bounce service does not take it for a new hard bounce and extend
 * the suppression by itself.
 *
 * <p>One Hot Rod request per message ({@link SuppressionList#lookupAll}). An unreachable list
 * suppresses nothing: a missed suppression costs one more bounce, a stalled queue costs all mail.
 * Thread-safe.
 */
public final class SuppressionCheck {

    private static final Logger LOG = Logger.getLogger(SuppressionCheck.class);

    private final BackgroundOpener<SuppressionList> list;

    /** @param list the suppression list, or null to check nothing ({@code tern.delivery.honour-suppression=false}) */
    public SuppressionCheck(BackgroundOpener<SuppressionList> list) {
        this.list = list;
    }

    /** The suppressed ones among {@code addresses}, by normalized address; never fails. */
    public CompletableFuture<Map<String, Entry>> suppressed(Collection<String> addresses) {
        SuppressionList l = list == null || addresses.isEmpty() ? null : list.get();
        if (l == null) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return l.lookupAll(addresses).toCompletableFuture().handle((found, error) -> {
            if (error != null) {
                LOG.debugf("suppression lookup failed, delivering to every recipient: %s", error);
                return Map.of();
            }
            return found;
        });
    }

    /** The permanent failure of a suppressed recipient. */
    public static Reply reply(Entry e) {
        return Reply.of(550, "5.7.1", "Recipient " + e.address() + " is suppressed until " + e.until()
                + " after a hard bounce" + (e.reason().isBlank() ? "" : ": " + e.reason()));
    }
}
