package dev.tern.ingress.trust.senderid;

import dev.tern.ingress.authres.MethodResult;
import dev.tern.ingress.trust.spf.SpfResult;
import java.util.List;

/**
 * The outcome of Sender ID for one message. Its results are SPF's (RFC 4406 §4 maps them one to
 * one); a message without a purported responsible address is a permerror (RFC 4407 §2 step 6
 * calls it ill-formed).
 *
 * @param result  the result
 * @param field   the field the PRA came from, lower case ({@code from}, {@code sender}, ...), or null
 * @param pra     the purported responsible address, {@code local@domain}, or null
 * @param problem what went wrong for temperror and permerror, the explanation for a fail, or null
 */
public record SenderIdVerdict(SpfResult result, String field, String pra, String problem) {

    /** As an Authentication-Results {@code resinfo}: {@code sender-id=pass header.from=alice@example.org}. */
    public MethodResult methodResult() {
        List<MethodResult.Property> properties = field == null ? List.of()
                : List.of(new MethodResult.Property("header", field, pra));
        return new MethodResult("sender-id", result.keyword(), problem, properties);
    }
}
