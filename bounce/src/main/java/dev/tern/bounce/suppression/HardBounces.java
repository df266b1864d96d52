package dev.tern.bounce.suppression;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;
import java.util.Set;

/**
 * Decides which failures say "this address will never work", so it belongs on the suppression list.
 *
 * <p>Only permanent (5xx reply, class 5 status) addressing failures of RFC 3463 §3.2, where the
 * fault is the address itself and resending cannot help:
 * {@code 5.1.1} bad destination mailbox, {@code 5.1.2} bad destination system (NXDOMAIN),
 * {@code 5.1.3} bad mailbox syntax, {@code 5.1.6} mailbox has moved, and {@code 5.1.10} null MX
 * (RFC 7505 §4.2). Policy refusals ({@code 5.7.x}), full mailboxes ({@code 5.2.2}), size limits and
 * expiry ({@code 4.4.7}) say nothing about the address and never suppress it. Pure.
 */
public final class HardBounces {

    private static final Set<Integer> ADDRESS_DETAILS = Set.of(1, 2, 3, 6, 10);

    private HardBounces() {
    }

    public static boolean isHardBounce(Reply reply) {
        EnhancedStatus s = reply.status();
        return reply.isPermanentFailure() && s != null && s.statusClass() == 5 && s.subject() == 1
                && ADDRESS_DETAILS.contains(s.detail());
    }
}
