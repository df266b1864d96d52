package dev.tern.smtp.client;

import dev.tern.smtp.dsn.Ret;

import java.util.List;
import java.util.Objects;

/**
 * What one client transaction sends: the envelope of RFC 5321 §3.3 plus the facts about the content
 * that decide the MAIL parameters.
 *
 * @param reversePath the sender, without brackets; empty string for the null reverse-path {@code <>}
 * @param recipients  at least one; outcomes are reported in this order
 * @param ret         RFC 3461 RET, or {@code null}
 * @param envelopeId  RFC 3461 ENVID, decoded, or {@code null}
 * @param size        message size in octets for RFC 1870 SIZE (the stored message, before dot-stuffing)
 * @param eightBit    the body has octets above 127 and needs BODY=8BITMIME (RFC 6152)
 * @param smtpUtf8    addresses or headers need SMTPUTF8 (RFC 6531)
 */
public record OutboundEnvelope(String reversePath, List<OutboundRecipient> recipients, Ret ret, String envelopeId,
                               long size, boolean eightBit, boolean smtpUtf8) {

    public OutboundEnvelope {
        SmtpCommands.checkPath(Objects.requireNonNull(reversePath, "reversePath"));
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    /** A plain 7-bit message without DSN parameters. */
    public static OutboundEnvelope of(String reversePath, List<String> recipients, long size) {
        return new OutboundEnvelope(reversePath, recipients.stream().map(OutboundRecipient::of).toList(), null, null,
                size, false, false);
    }
}
