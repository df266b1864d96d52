package dev.tern.smtp.address;

import dev.tern.smtp.reply.Parsed;
import java.util.Objects;
import java.util.Optional;

/**
 * The argument of {@code MAIL FROM}: a Path or the null path {@code <>} (RFC 5321 §4.1.1.2,
 * §4.5.5: notifications are sent with the null reverse-path so that they never bounce back).
 *
 * <p>Source routes ({@code <@relay:user@host>}) are accepted and dropped as RFC 5321 §4.1.1.3 and
 * Appendix C allow. Immutable and thread-safe.
 */
public final class ReversePath {

    /** The null reverse-path {@code <>}. */
    public static final ReversePath NULL = new ReversePath(null);

    private final Mailbox mailbox;

    private ReversePath(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    public static ReversePath of(Mailbox mailbox) {
        return new ReversePath(Objects.requireNonNull(mailbox, "mailbox"));
    }

    /**
     * Parses {@code <>} or {@code <[A-d-l:]mailbox>} exactly (angle brackets required); failures
     * carry sender status codes ({@code 501 5.1.7}, {@code 553 5.6.7}, ...).
     */
    public static Parsed<ReversePath> parse(String text, boolean smtpUtf8) {
        if ("<>".equals(text)) {
            return Parsed.ok(NULL);
        }
        try {
            return Parsed.ok(new ReversePath(AddressSyntax.path(text, smtpUtf8)));
        } catch (AddressException e) {
            return Parsed.failed(e.error().reply(AddressRole.SENDER));
        }
    }

    public boolean isNull() {
        return mailbox == null;
    }

    /** The mailbox, empty for the null path. */
    public Optional<Mailbox> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    /** {@code <local@domain>} or {@code <>}. */
    @Override
    public String toString() {
        return mailbox == null ? "<>" : "<" + mailbox + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReversePath that && Objects.equals(mailbox, that.mailbox);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(mailbox);
    }
}
