package dev.tern.smtp.parse;

import dev.tern.smtp.dsn.Ret;

/**
 * The ESMTP parameters of a {@code MAIL FROM} command. A {@code null} component means the
 * parameter was absent.
 *
 * @param size     {@code SIZE=} declared message size in octets (RFC 1870), saturated at
 *                 {@link Long#MAX_VALUE}
 * @param body     {@code BODY=} (RFC 6152, RFC 3030)
 * @param smtpUtf8 {@code SMTPUTF8} was given (RFC 6531 §3.4)
 * @param ret      {@code RET=} (RFC 3461 §4.3)
 * @param envId    {@code ENVID=}, xtext-decoded (RFC 3461 §4.4)
 * @param auth     {@code AUTH=}, xtext-decoded; {@code "<>"} when the client sent {@code AUTH=<>}
 *                 (RFC 4954 §5)
 */
public record MailParameters(Long size, BodyType body, boolean smtpUtf8, Ret ret, String envId, String auth) {

    /** No parameters at all. */
    public static final MailParameters NONE = new MailParameters(null, null, false, null, null, null);

    /** True when no parameter was given. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
