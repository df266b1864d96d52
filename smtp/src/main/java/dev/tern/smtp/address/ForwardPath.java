package dev.tern.smtp.address;

import dev.tern.smtp.reply.Parsed;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The argument of {@code RCPT TO}: a Path, or the special {@code <Postmaster>} without a domain
 * that every SMTP server must accept (RFC 5321 §4.1.1.3, §4.5.1).
 *
 * <p>Source routes are accepted and dropped (RFC 5321 §4.1.1.3, Appendix C): mail for
 * {@code <@a,@b:user@c>} goes to {@code user@c}. Immutable and thread-safe.
 */
public final class ForwardPath {

    /** The domain-less {@code <Postmaster>}, meaning this server's postmaster. */
    public static final ForwardPath POSTMASTER = new ForwardPath(null);

    private final Mailbox mailbox;

    private ForwardPath(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    public static ForwardPath of(Mailbox mailbox) {
        return new ForwardPath(Objects.requireNonNull(mailbox, "mailbox"));
    }

    /**
     * Parses {@code <Postmaster>} (any case) or {@code <[A-d-l:]mailbox>}; failures carry
     * recipient status codes ({@code 501 5.1.3}, {@code 553 5.6.7}, ...).
     */
    public static Parsed<ForwardPath> parse(String text, boolean smtpUtf8) {
        if ("<postmaster>".equalsIgnoreCase(text)) {
            return Parsed.ok(POSTMASTER);
        }
        try {
            return Parsed.ok(new ForwardPath(AddressSyntax.path(text, smtpUtf8)));
        } catch (AddressException e) {
            return Parsed.failed(e.error().reply(AddressRole.RECIPIENT));
        }
    }

    /** True for the domain-less {@code <Postmaster>}. */
    public boolean isBarePostmaster() {
        return mailbox == null;
    }

    /** True for {@code <Postmaster>} and any {@code <postmaster@domain>} (local part in any case). */
    public boolean isPostmaster() {
        return mailbox == null || mailbox.localPart().toLowerCase(Locale.ROOT).equals("postmaster");
    }

    /** The mailbox; empty only for the domain-less {@code <Postmaster>}. */
    public Optional<Mailbox> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    /** See {@link Mailbox#hasRoutingCharacters()}; false for {@code <Postmaster>}. */
    public boolean hasRoutingCharacters() {
        return mailbox != null && mailbox.hasRoutingCharacters();
    }

    /** {@code <local@domain>} or {@code <Postmaster>}. */
    @Override
    public String toString() {
        return mailbox == null ? "<Postmaster>" : "<" + mailbox + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForwardPath that && Objects.equals(mailbox, that.mailbox);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(mailbox);
    }
}
