package dev.tern.ingress.trust.senderid;

import dev.tern.ingress.trust.header.HeaderFields;
import dev.tern.ingress.trust.header.HeaderFields.Field;
import dev.tern.ingress.trust.header.Mailboxes;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Purported Responsible Address of a message (RFC 4407 §2): the mailbox in the Resent-Sender,
 * Resent-From, Sender or From field that most recently took responsibility for the message,
 * chosen by the six steps of §2 over the fields top (newest) first.
 *
 * @param field   the name of the field it came from, lower case ({@code resent-sender},
 *                {@code resent-from}, {@code sender} or {@code from}); null when there is none
 * @param mailbox the address; null when there is none
 * @param problem why the message is ill-formed (§2 step 6), or null
 */
public record PurportedResponsibleAddress(String field, Mailboxes.Mailbox mailbox, String problem) {

    /** Finds the PRA of {@code message}. */
    public static PurportedResponsibleAddress of(byte[] message) {
        return of(HeaderFields.of(message));
    }

    /** Finds the PRA among a message's header {@code fields}, top first. */
    public static PurportedResponsibleAddress of(List<Field> fields) {
        int resentSender = first(fields, named("resent-sender"));
        if (resentSender >= 0) {
            // Step 1: a Resent-Sender counts unless a Resent-From above it is separated from it by a
            // Received or Return-Path field: then it belongs to an older hop and step 2 decides.
            int resentFrom = first(fields, named("resent-from"));
            boolean olderHop = resentFrom >= 0 && resentFrom < resentSender && fields.subList(resentFrom + 1,
                    resentSender).stream().anyMatch(f -> f.name().equals("received") || f.name().equals("return-path"));
            if (!olderHop) {
                return single(fields.get(resentSender));
            }
        }
        int resentFrom = first(fields, named("resent-from"));
        if (resentFrom >= 0) {
            return single(fields.get(resentFrom));
        }
        List<Field> senders = fields.stream().filter(named("sender")).toList();
        if (senders.size() > 1) {
            return illFormed(senders.size() + " Sender fields");
        }
        if (senders.size() == 1) {
            return single(senders.get(0));
        }
        List<Field> froms = fields.stream().filter(named("from")).toList();
        if (froms.size() != 1) {
            return illFormed(froms.isEmpty() ? "no Resent-Sender, Resent-From, Sender or From field"
                    : froms.size() + " From fields");
        }
        return single(froms.get(0));
    }

    /** Step 5: the selected field must hold exactly one mailbox with a domain. */
    private static PurportedResponsibleAddress single(Field field) {
        List<Mailboxes.Mailbox> mailboxes;
        try {
            mailboxes = Mailboxes.parse(field.value());
        } catch (IllegalArgumentException e) {
            return illFormed("malformed " + field.name() + ": " + e.getMessage());
        }
        if (mailboxes.size() != 1) {
            return illFormed(field.name() + " holds " + mailboxes.size() + " mailboxes");
        }
        if (mailboxes.get(0).domain().startsWith("[")) {
            return illFormed(field.name() + " has a domain literal, no domain name");
        }
        return new PurportedResponsibleAddress(field.name(), mailboxes.get(0), null);
    }

    private static PurportedResponsibleAddress illFormed(String why) {
        return new PurportedResponsibleAddress(null, null, "no purported responsible address (RFC 4407 §2): " + why);
    }

    /** A field of this name whose value is not empty: §2 only considers non-empty fields. */
    private static Predicate<Field> named(String name) {
        return f -> f.name().equals(name) && !f.value().isBlank();
    }

    private static int first(List<Field> fields, Predicate<Field> wanted) {
        for (int i = 0; i < fields.size(); i++) {
            if (wanted.test(fields.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
