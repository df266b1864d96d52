package dev.tern.smtp.dsn;

import dev.tern.smtp.reply.EnhancedStatus;
import dev.tern.smtp.reply.Reply;

import java.time.Instant;
import java.util.Objects;

/**
 * The per-recipient fields of RFC 3464 §2.3 for one recipient of a DSN.
 *
 * @param finalRecipient    the address the attempt was made to (Final-Recipient, §2.3.2)
 * @param originalRecipient ORCPT as received (Original-Recipient, §2.3.1), or {@code null}
 * @param action            Action (§2.3.3)
 * @param status            Status (§2.3.4), an RFC 3463 code
 * @param remoteMta         host name of the server that gave {@code diagnostic} (Remote-MTA, §2.3.5),
 *                          or {@code null} when we decided locally
 * @param diagnostic        the SMTP reply behind the status (Diagnostic-Code, §2.3.6), or {@code null}
 * @param lastAttempt       Last-Attempt-Date (§2.3.7), or {@code null}
 * @param willRetryUntil    Will-Retry-Until (§2.3.9), only meaningful for {@link DsnAction#DELAYED}
 * @param category          why delivery failed in the sending MTA's own words, e.g. {@code mailbox-full},
 *                          rendered as the extension field {@code X-Tern-Category} (§2.3, extension-field)
 *                          and in the human-readable part; or {@code null}
 */
public record RecipientReport(String finalRecipient, OriginalRecipient originalRecipient, DsnAction action,
                              EnhancedStatus status, String remoteMta, Reply diagnostic, Instant lastAttempt,
                              Instant willRetryUntil, String category) {

    public RecipientReport {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (category != null && !category.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a category is lower-case letters, digits and '-': " + category);
        }
        if (willRetryUntil != null && action != DsnAction.DELAYED) {
            throw new IllegalArgumentException("Will-Retry-Until is only for delayed recipients");
        }
    }

    /**
     * A recipient whose fate was set by {@code reply}; the status is the reply's enhanced code or,
     * without one, {@code X.0.0} of the reply's class (RFC 3463 §3.1 "other undefined status").
     */
    public static RecipientReport of(String finalRecipient, DsnAction action, Reply reply) {
        EnhancedStatus status = reply.status() != null ? reply.status()
                : new EnhancedStatus(reply.codeClass() == 3 ? 2 : reply.codeClass(), 0, 0);
        return new RecipientReport(finalRecipient, null, action, status, null, reply, null, null, null);
    }

    public RecipientReport withOriginalRecipient(OriginalRecipient orcpt) {
        return new RecipientReport(finalRecipient, orcpt, action, status, remoteMta, diagnostic, lastAttempt, willRetryUntil, category);
    }

    public RecipientReport withRemoteMta(String host) {
        return new RecipientReport(finalRecipient, originalRecipient, action, status, host, diagnostic, lastAttempt, willRetryUntil, category);
    }

    public RecipientReport withLastAttempt(Instant when) {
        return new RecipientReport(finalRecipient, originalRecipient, action, status, remoteMta, diagnostic, when, willRetryUntil, category);
    }

    public RecipientReport withWillRetryUntil(Instant until) {
        return new RecipientReport(finalRecipient, originalRecipient, action, status, remoteMta, diagnostic, lastAttempt, until, category);
    }

    public RecipientReport withCategory(String label) {
        return new RecipientReport(finalRecipient, originalRecipient, action, status, remoteMta, diagnostic, lastAttempt,
                willRetryUntil, label);
    }
}
