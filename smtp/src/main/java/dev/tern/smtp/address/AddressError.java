package dev.tern.smtp.address;

import dev.tern.smtp.reply.Reply;

/**
 * Why an address was refused, and the reply each reason maps to.
 *
 * <ul>
 *   <li>{@link #SYNTAX}: not RFC 5321 §4.1.2 Path/Mailbox syntax → {@code 501 5.1.7|5.1.3}.
 *   <li>{@link #NON_ASCII}: UTF-8 without SMTPUTF8 → {@code 553 5.6.7} (RFC 6531 §3.7.4.1).
 *   <li>{@link #MALFORMED_UTF8}: bytes that are not UTF-8 → {@code 553 5.6.7}.
 *   <li>{@link #LOCAL_PART_TOO_LONG}, {@link #DOMAIN_TOO_LONG}: over the RFC 5321 §4.5.3.1.1/2
 *       limits (64 and 255 octets) → {@code 553 5.1.7|5.1.3}.
 *   <li>{@link #PATH_TOO_LONG}: over 256 octets including the angle brackets (§4.5.3.1.3) →
 *       {@code 501 5.5.4}, the "501 Path too long" of §4.5.3.1.10.
 * </ul>
 */
public enum AddressError {
    SYNTAX,
    NON_ASCII,
    MALFORMED_UTF8,
    LOCAL_PART_TOO_LONG,
    DOMAIN_TOO_LONG,
    PATH_TOO_LONG;

    /** The reply telling the client why its address in {@code role} was refused. */
    public Reply reply(AddressRole role) {
        return switch (this) {
            case SYNTAX -> Reply.of(501, role.syntaxStatus(), "Bad " + role.noun() + " address syntax");
            case NON_ASCII -> Reply.of(553, "5.6.7", "Non-ASCII " + role.noun() + " address requires SMTPUTF8");
            case MALFORMED_UTF8 -> Reply.of(553, "5.6.7", "Malformed UTF-8 in " + role.noun() + " address");
            case LOCAL_PART_TOO_LONG -> Reply.of(553, role.syntaxStatus(), "Local part of " + role.noun()
                    + " address exceeds 64 octets");
            case DOMAIN_TOO_LONG -> Reply.of(553, role.syntaxStatus(), "Domain of " + role.noun()
                    + " address exceeds 255 octets");
            case PATH_TOO_LONG -> Reply.of(501, "5.5.4", "Path too long");
        };
    }
}
